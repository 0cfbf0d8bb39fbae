int b;
int a() {
return 1000.0L / (1u << b);
}
