int early_log_buf[];
int a();
int b()
{
a(early_log_buf);
}
