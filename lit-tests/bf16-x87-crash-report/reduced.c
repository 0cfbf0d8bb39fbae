__bf16 a(long double v) {
return v;
}
