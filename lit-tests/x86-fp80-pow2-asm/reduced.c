struct c {
int b
};
int a( struct c *d) {
return 1000.0L / (1u << d->b);
}
