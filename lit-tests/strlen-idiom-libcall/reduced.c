int a( char *s)
{
char *p = s;
while (*p)
p++;
return p - s;
}
