/*
 * wxlog.c - weather station log formatter.
 *
 * Reads raw samples from the station's serial feed (one struct per minute),
 * keeps a one-hour ring of them, and writes fixed-width report lines that the
 * upstream aggregator parses by column.  Every field has an exact width, so
 * the buffers below are sized to the byte: the column layout is the contract.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RING_MINUTES 60
#define STATION_ID_LEN 8
#define LINE_MAX 96

/* Column widths of the report line (the aggregator's format, version 3). */
#define TEMP_COLS 6   /* "+23.4", " -4.0": sign included in the width */
#define PRESS_COLS 7  /* "1013.25" */
#define WIND_COLS 5   /* "12.5" */
#define HUM_COLS 3    /* "087" */

struct sample {
	time_t when;
	double temp_c;      /* air temperature, degrees Celsius */
	double dew_c;       /* dew point */
	double press_hpa;   /* station pressure */
	double wind_ms;     /* mean wind speed */
	int wind_dir;       /* degrees, 0-359; -1 when calm */
	int humidity;       /* percent */
	unsigned flags;
};

#define SAMPLE_SUSPECT 0x1u
#define SAMPLE_HEATED  0x2u

struct ring {
	struct sample s[RING_MINUTES];
	unsigned head;
	unsigned count;
};

struct station {
	char id[STATION_ID_LEN + 1];
	double elevation_m;
	struct ring ring;
	unsigned long lines_written;
	FILE *out;
};

static void ring_push(struct ring *r, const struct sample *s)
{
	r->s[r->head] = *s;
	r->head = (r->head + 1) % RING_MINUTES;
	if (r->count < RING_MINUTES)
		r->count++;
}

static const struct sample *ring_at(const struct ring *r, unsigned age)
{
	unsigned idx;

	if (age >= r->count)
		return NULL;
	idx = (r->head + RING_MINUTES - 1 - age) % RING_MINUTES;
	return &r->s[idx];
}

static double ring_mean_temp(const struct ring *r)
{
	double sum = 0.0;
	unsigned i, n = 0;

	for (i = 0; i < r->count; i++) {
		const struct sample *s = ring_at(r, i);
		if (s->flags & SAMPLE_SUSPECT)
			continue;
		sum += s->temp_c;
		n++;
	}
	return n ? sum / n : NAN;
}

/* Sea-level pressure from station pressure (hypsometric approximation). */
static double sea_level_pressure(double press_hpa, double temp_c, double elevation_m)
{
	double t_k = temp_c + 273.15;

	return press_hpa * pow(1.0 - (0.0065 * elevation_m) / (t_k + 0.0065 * elevation_m), -5.257);
}

/* Clamp a value to what fits in its column. */
static double clamp(double v, double lo, double hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

/*
 * Temperature column: always signed, one decimal, right-aligned in TEMP_COLS.
 * The value is clamped to [-99.9, +99.9], so the text is at most 5 characters
 * plus the sign: exactly TEMP_COLS, and the buffer holds it and the NUL.
 */
static void format_temp(char out[TEMP_COLS + 1], double temp_c)
{
	snprintf(out, TEMP_COLS + 1, "%+6.1f", clamp(temp_c, -99.9, 99.9));
}

static void format_pressure(char out[PRESS_COLS + 1], double hpa)
{
	snprintf(out, PRESS_COLS + 1, "%7.2f", clamp(hpa, 800.0, 1100.0));
}

static void format_wind(char out[WIND_COLS + 1], double ms, int dir)
{
	if (dir < 0) {
		memcpy(out, " CALM", WIND_COLS + 1);
		return;
	}
	snprintf(out, WIND_COLS + 1, "%5.1f", clamp(ms, 0.0, 99.9));
}

static void format_humidity(char out[HUM_COLS + 1], int pct)
{
	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	snprintf(out, HUM_COLS + 1, "%03d", pct % 1000);
}

static int format_line(const struct station *st, const struct sample *s, char *line, size_t len)
{
	char temp[TEMP_COLS + 1], dew[TEMP_COLS + 1], trend[TEMP_COLS + 1];
	char press[PRESS_COLS + 1], wind[WIND_COLS + 1], hum[HUM_COLS + 1];
	char stamp[20];
	struct tm tm;
	double mean = ring_mean_temp(&st->ring);

	if (!gmtime_r(&s->when, &tm))
		return -1;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%MZ", &tm);

	format_temp(temp, s->temp_c);
	format_temp(dew, s->dew_c);
	format_temp(trend, isnan(mean) ? 0.0 : s->temp_c - mean);
	format_pressure(press, sea_level_pressure(s->press_hpa, s->temp_c, st->elevation_m));
	format_wind(wind, s->wind_ms, s->wind_dir);
	format_humidity(hum, s->humidity);

	return snprintf(line, len, "%-8s %s %s %s %s %s %s %03d %c\n", st->id, stamp, temp, dew,
			trend, press, wind, s->wind_dir < 0 ? 0 : s->wind_dir,
			(s->flags & SAMPLE_SUSPECT) ? 'S' : ' ') < 0 ? -1 : 0;
}

static int parse_sample(const char *text, struct sample *s)
{
	char *end;
	long when;

	memset(s, 0, sizeof(*s));
	errno = 0;
	when = strtol(text, &end, 10);
	if (errno || end == text || *end != ',')
		return -1;
	s->when = (time_t)when;
	if (sscanf(end + 1, "%lf,%lf,%lf,%lf,%d,%d,%u", &s->temp_c, &s->dew_c, &s->press_hpa,
		   &s->wind_ms, &s->wind_dir, &s->humidity, &s->flags) != 7)
		return -1;
	if (s->dew_c > s->temp_c + 0.5)
		s->flags |= SAMPLE_SUSPECT;
	return 0;
}

int station_init(struct station *st, const char *id, double elevation_m, FILE *out)
{
	size_t n = strlen(id);

	if (n == 0 || n > STATION_ID_LEN)
		return -1;
	memset(st, 0, sizeof(*st));
	memcpy(st->id, id, n + 1);
	st->elevation_m = elevation_m;
	st->out = out;
	return 0;
}

int station_feed(struct station *st, const char *record)
{
	struct sample s;
	char line[LINE_MAX];

	if (parse_sample(record, &s) != 0) {
		fprintf(stderr, "%s: bad record: %.40s\n", st->id, record);
		return -1;
	}
	ring_push(&st->ring, &s);
	if (format_line(st, &s, line, sizeof(line)) != 0)
		return -1;
	if (fputs(line, st->out) == EOF)
		return -1;
	st->lines_written++;
	return 0;
}

int station_summary(const struct station *st, char *buf, size_t len)
{
	char mean[TEMP_COLS + 1];
	const struct sample *last = ring_at(&st->ring, 0);

	if (!last)
		return snprintf(buf, len, "%s: no data\n", st->id);
	format_temp(mean, ring_mean_temp(&st->ring));
	return snprintf(buf, len, "%s: %lu lines, mean %s C over %u min\n", st->id,
			st->lines_written, mean, st->ring.count);
}
