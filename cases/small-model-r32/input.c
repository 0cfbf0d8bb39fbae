/*
 * A tiny early-boot log, the kind of code that is linked below 2 GiB and built with the
 * default (small) code model and no PIC.  There, taking the address of a global and
 * passing it in a register is a 32-bit zero-extended immediate (movl $sym, %edi) with an
 * R_X86_64_32 relocation: correct, expected, and emitted by every clang version.
 */

typedef unsigned long size_t;
typedef unsigned int u32;

#define LOG_BUF_SIZE 4096
#define LOG_LINE_MAX 128

struct log_ring {
	size_t head;
	size_t tail;
	u32 dropped;
	u32 lines;
};

char early_log_buf[LOG_BUF_SIZE];
struct log_ring early_log;
static char line_scratch[LOG_LINE_MAX];

extern void console_write(const char *buf, size_t len);
extern void flush_to_console(char *buf, size_t size, struct log_ring *ring);

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static size_t fmt_unsigned(char *out, unsigned long v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

static void ring_put(char *buf, struct log_ring *ring, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		size_t next = (ring->head + 1) % LOG_BUF_SIZE;

		if (next == ring->tail) {
			ring->dropped++;
			return;
		}
		buf[ring->head] = s[i];
		ring->head = next;
	}
}

void early_log_line(const char *msg, unsigned long value)
{
	size_t n = str_len(msg);

	if (n > LOG_LINE_MAX - 24)
		n = LOG_LINE_MAX - 24;
	for (size_t i = 0; i < n; i++)
		line_scratch[i] = msg[i];
	line_scratch[n++] = ' ';
	n += fmt_unsigned(line_scratch + n, value);
	line_scratch[n++] = '\n';
	ring_put(early_log_buf, &early_log, line_scratch, n);
	early_log.lines++;
}

void early_log_flush(void)
{
	if (early_log.head == early_log.tail)
		return;
	/* Hand the whole ring to the console driver; it advances tail itself. */
	flush_to_console(early_log_buf, sizeof(early_log_buf), &early_log);
	if (early_log.dropped)
		console_write("early log: lines were dropped\n", 30);
}
