struct b {
char c[4]
};
struct b a = {
"data"
};
