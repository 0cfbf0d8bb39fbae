int a(int v)
{
return __builtin_canonicalize(v);
}
