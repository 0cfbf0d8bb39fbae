int early_log_buf[];
void a();
void b()
{
a(early_log_buf);
}
