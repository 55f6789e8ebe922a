/* SPDX-License-Identifier: GPL-3.0-or-later
 * SPDX-FileCopyrightText: 2026 The Wavry developers */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "wavry-stream-stats.h"

/* Period samples kept per kind before switching to a reservoir. */
#define PERIOD_SAMPLE_CAP 100000

/* Whole-run histogram: values below 2^7 µs have a bucket each; above, 64
 * buckets per power of two up to 2^63. */
#define HIST_EXACT      128
#define HIST_SUB_BITS   6
#define HIST_SUB        (1 << HIST_SUB_BITS)
#define HIST_N_BUCKETS  (HIST_EXACT + (63 - 7) * HIST_SUB)

static const char * const kind_names[WAVRY_LATENCY_LAST] = {
  "capture", "encode", "network", "decode", "total",
};

typedef struct
{
  guint64 frames_decoded;
  guint64 frames_dropped;
  guint64 bytes;
  guint64 fec_recovered;
  guint64 nacks;
  guint64 lost;
  guint64 received;
  guint64 rejected;
} Counters;

typedef struct
{
  guint64 n;
  double  p50_ms, p95_ms, p99_ms;   /* NAN without samples */
} Percentiles;

struct _WavryStreamStats
{
  GMutex    lock;
  GRand    *rand;                   /* reservoir sampling; seeded, per object */

  gint64    start_us;
  gint64    period_start_us;
  Counters  period;
  Counters  total;
  gint64    rtt_us;                 /* -1 until set */
  gint64    jitter_us;              /* -1 until set */
  guint     width, height;

  GArray   *samples[WAVRY_LATENCY_LAST];   /* gint64, this period */
  guint64   seen[WAVRY_LATENCY_LAST];      /* samples offered this period */
  guint64  *hist[WAVRY_LATENCY_LAST];      /* whole run */
  guint64   hist_n[WAVRY_LATENCY_LAST];

  /* The last completed period, for the status line. */
  gboolean  have_last;
  double    last_fps, last_kbps, last_loss_pct, last_p50_ms;
};

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Nearest rank (1-based) of percentile @p among @n > 0 sorted samples. */
static guint64
nearest_rank (guint64 n,
              double  p)
{
  double r = ceil (CLAMP (p, 0.0, 100.0) / 100.0 * (double) n);

  return CLAMP ((guint64) r, 1, n);
}

/* Percentile of values already sorted. */
static double
sorted_percentile (const gint64 *sorted,
                   gsize         n,
                   double        p)
{
  if (n == 0)
    return NAN;
  return (double) sorted[nearest_rank (n, p) - 1];
}

double
wavry_percentile (const gint64 *values,
                  gsize         n,
                  double        p)
{
  g_autofree gint64 *copy = NULL;

  g_return_val_if_fail (values != NULL || n == 0, NAN);

  if (n == 0)
    return NAN;
  copy = g_memdup2 (values, n * sizeof (gint64));
  qsort (copy, n, sizeof (gint64), compare_gint64);
  return sorted_percentile (copy, n, p);
}

static guint
hist_index (guint64 v)
{
  guint e;

  if (v < HIST_EXACT)
    return (guint) v;
  e = 63 - (guint) __builtin_clzll (v);            /* 7 … 63 */
  return HIST_EXACT + (e - 7) * HIST_SUB + (guint) ((v >> (e - HIST_SUB_BITS)) - HIST_SUB);
}

/* The value a bucket stands for: itself when exact, else the midpoint. */
static double
hist_value (guint idx)
{
  guint e, m;
  double low, width;

  if (idx < HIST_EXACT)
    return idx;
  e = (idx - HIST_EXACT) / HIST_SUB + 7;
  m = (idx - HIST_EXACT) % HIST_SUB + HIST_SUB;
  low = ldexp (m, (int) e - HIST_SUB_BITS);
  width = ldexp (1.0, (int) e - HIST_SUB_BITS);
  return low + width / 2.0;
}

static double
hist_percentile (const guint64 *hist,
                 guint64        n,
                 double         p)
{
  guint64 rank, cumulative = 0;

  if (n == 0)
    return NAN;
  rank = nearest_rank (n, p);
  for (guint i = 0; i < HIST_N_BUCKETS; i++)
    {
      cumulative += hist[i];
      if (cumulative >= rank)
        return hist_value (i);
    }
  g_assert_not_reached ();
}

WavryStreamStats *
wavry_stream_stats_new_at (gint64 start_us)
{
  WavryStreamStats *self = g_new0 (WavryStreamStats, 1);

  g_mutex_init (&self->lock);
  /* A fixed seed: the reservoir only needs to be uniform, and runs stay
   * reproducible. */
  self->rand = g_rand_new_with_seed (0x57415652);
  self->start_us = self->period_start_us = start_us;
  self->rtt_us = self->jitter_us = -1;
  for (guint k = 0; k < WAVRY_LATENCY_LAST; k++)
    {
      self->samples[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
      self->hist[k] = g_new0 (guint64, HIST_N_BUCKETS);
    }
  return self;
}

WavryStreamStats *
wavry_stream_stats_new (void)
{
  return wavry_stream_stats_new_at (g_get_monotonic_time ());
}

void
wavry_stream_stats_free (WavryStreamStats *self)
{
  if (self == NULL)
    return;
  for (guint k = 0; k < WAVRY_LATENCY_LAST; k++)
    {
      g_array_unref (self->samples[k]);
      g_free (self->hist[k]);
    }
  g_rand_free (self->rand);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
wavry_stream_stats_add_latency (WavryStreamStats *self,
                                WavryLatencyKind  kind,
                                gint64            us)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GArray *samples;

  g_return_if_fail (self != NULL);
  g_return_if_fail (kind < WAVRY_LATENCY_LAST);

  locker = g_mutex_locker_new (&self->lock);
  if (us < 0)
    {
      self->period.rejected++;
      self->total.rejected++;
      return;
    }

  samples = self->samples[kind];
  self->seen[kind]++;
  if (samples->len < PERIOD_SAMPLE_CAP)
    {
      g_array_append_val (samples, us);
    }
  else
    {
      /* Reservoir (Algorithm R): keep each of the seen samples with equal
       * probability cap/seen. */
      guint64 j = (guint64) (g_rand_double (self->rand) * (double) self->seen[kind]);

      if (j < PERIOD_SAMPLE_CAP)
        g_array_index (samples, gint64, j) = us;
    }

  self->hist[kind][hist_index ((guint64) us)]++;
  self->hist_n[kind]++;
}

#define ADD_COUNTER(self, field, n) \
  G_STMT_START { \
    g_return_if_fail ((self) != NULL); \
    g_mutex_lock (&(self)->lock); \
    (self)->period.field += (n); \
    (self)->total.field += (n); \
    g_mutex_unlock (&(self)->lock); \
  } G_STMT_END

void
wavry_stream_stats_add_frame_decoded (WavryStreamStats *self)
{
  ADD_COUNTER (self, frames_decoded, 1);
}

void
wavry_stream_stats_add_frame_dropped (WavryStreamStats *self)
{
  ADD_COUNTER (self, frames_dropped, 1);
}

void
wavry_stream_stats_add_bytes (WavryStreamStats *self,
                              gsize             bytes)
{
  ADD_COUNTER (self, bytes, bytes);
}

void
wavry_stream_stats_add_fec_recovered (WavryStreamStats *self,
                                      guint             n)
{
  ADD_COUNTER (self, fec_recovered, n);
}

void
wavry_stream_stats_add_nacks (WavryStreamStats *self,
                              guint             n)
{
  ADD_COUNTER (self, nacks, n);
}

void
wavry_stream_stats_add_lost (WavryStreamStats *self,
                             guint             n)
{
  ADD_COUNTER (self, lost, n);
}

void
wavry_stream_stats_add_received (WavryStreamStats *self,
                                 guint             n)
{
  ADD_COUNTER (self, received, n);
}

void
wavry_stream_stats_set_rtt (WavryStreamStats *self,
                            gint64            rtt_us)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->rtt_us = MAX (rtt_us, 0);
  g_mutex_unlock (&self->lock);
}

void
wavry_stream_stats_set_jitter (WavryStreamStats *self,
                               gint64            jitter_us)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->jitter_us = MAX (jitter_us, 0);
  g_mutex_unlock (&self->lock);
}

void
wavry_stream_stats_set_resolution (WavryStreamStats *self,
                                   guint             width,
                                   guint             height)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->width = width;
  self->height = height;
  g_mutex_unlock (&self->lock);
}

/* JSON numbers with a fixed number of decimals, in the C locale; null for
 * what is not a finite number. */
static void
append_number (GString    *json,
               const char *key,
               double      value,
               const char *format)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (json, "\"%s\":", key);
  if (isfinite (value))
    g_string_append (json, g_ascii_formatd (buf, sizeof buf, format, value));
  else
    g_string_append (json, "null");
}

static double
rate (double amount,
      double seconds)
{
  return seconds > 0 ? amount / seconds : 0.0;
}

static double
loss_pct (const Counters *c)
{
  guint64 sent = c->received + c->lost;

  return sent > 0 ? 100.0 * (double) c->lost / (double) sent : 0.0;
}

static char *
build_json (double             t_s,
            double             duration_s,
            gint64             rtt_us,
            gint64             jitter_us,
            const Counters    *c,
            const Percentiles *lat)
{
  GString *json = g_string_sized_new (512);

  g_string_append_c (json, '{');
  append_number (json, "t", t_s, "%.3f");
  g_string_append_c (json, ',');
  append_number (json, "fps", rate (c->frames_decoded, duration_s), "%.2f");
  g_string_append_c (json, ',');
  append_number (json, "bitrate_kbps", rate (c->bytes * 8.0 / 1000.0, duration_s), "%.1f");
  g_string_append_c (json, ',');
  append_number (json, "rtt_ms", rtt_us >= 0 ? rtt_us / 1000.0 : NAN, "%.3f");
  g_string_append_c (json, ',');
  append_number (json, "jitter_ms", jitter_us >= 0 ? jitter_us / 1000.0 : NAN, "%.3f");
  g_string_append_c (json, ',');
  append_number (json, "loss_pct", loss_pct (c), "%.3f");
  g_string_append_printf (json,
                          ",\"fec_recovered\":%" G_GUINT64_FORMAT
                          ",\"nacks\":%" G_GUINT64_FORMAT
                          ",\"frames_dropped\":%" G_GUINT64_FORMAT
                          ",\"frames_decoded\":%" G_GUINT64_FORMAT
                          ",\"received\":%" G_GUINT64_FORMAT
                          ",\"lost\":%" G_GUINT64_FORMAT
                          ",\"rejected_samples\":%" G_GUINT64_FORMAT
                          ",\"latency_ms\":{",
                          c->fec_recovered, c->nacks, c->frames_dropped, c->frames_decoded,
                          c->received, c->lost, c->rejected);
  for (guint k = 0; k < WAVRY_LATENCY_LAST; k++)
    {
      g_string_append_printf (json, "%s\"%s\":{\"n\":%" G_GUINT64_FORMAT ",",
                              k > 0 ? "," : "", kind_names[k], lat[k].n);
      append_number (json, "p50", lat[k].p50_ms, "%.3f");
      g_string_append_c (json, ',');
      append_number (json, "p95", lat[k].p95_ms, "%.3f");
      g_string_append_c (json, ',');
      append_number (json, "p99", lat[k].p99_ms, "%.3f");
      g_string_append_c (json, '}');
    }
  g_string_append (json, "}}");

  return g_string_free (json, FALSE);
}

char *
wavry_stream_stats_take_period (WavryStreamStats *self,
                                gint64            now_us)
{
  GArray *samples[WAVRY_LATENCY_LAST];
  Percentiles lat[WAVRY_LATENCY_LAST];
  Counters period;
  gint64 rtt_us, jitter_us;
  double t_s, duration_s;
  char *json;

  g_return_val_if_fail (self != NULL, NULL);

  /* Only swap the period out under the lock: sorting 100 000 samples per
   * kind takes tens of milliseconds, which the network and decode threads
   * must not wait for (see bench/bench-stream-stats.c). */
  g_mutex_lock (&self->lock);
  now_us = MAX (now_us, self->period_start_us);
  t_s = (now_us - self->start_us) / 1e6;
  duration_s = (now_us - self->period_start_us) / 1e6;
  for (guint k = 0; k < WAVRY_LATENCY_LAST; k++)
    {
      samples[k] = self->samples[k];
      self->samples[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
      lat[k].n = self->seen[k];
      self->seen[k] = 0;
    }
  period = self->period;
  memset (&self->period, 0, sizeof self->period);
  self->period_start_us = now_us;
  rtt_us = self->rtt_us;
  jitter_us = self->jitter_us;
  g_mutex_unlock (&self->lock);

  for (guint k = 0; k < WAVRY_LATENCY_LAST; k++)
    {
      gint64 *v = (gint64 *) (void *) samples[k]->data;

      qsort (v, samples[k]->len, sizeof (gint64), compare_gint64);
      lat[k].p50_ms = sorted_percentile (v, samples[k]->len, 50) / 1000.0;
      lat[k].p95_ms = sorted_percentile (v, samples[k]->len, 95) / 1000.0;
      lat[k].p99_ms = sorted_percentile (v, samples[k]->len, 99) / 1000.0;
      g_array_unref (samples[k]);
    }

  json = build_json (t_s, duration_s, rtt_us, jitter_us, &period, lat);

  g_mutex_lock (&self->lock);
  self->have_last = TRUE;
  self->last_fps = rate (period.frames_decoded, duration_s);
  self->last_kbps = rate (period.bytes * 8.0 / 1000.0, duration_s);
  self->last_loss_pct = loss_pct (&period);
  self->last_p50_ms = lat[WAVRY_LATENCY_TOTAL].p50_ms;
  g_mutex_unlock (&self->lock);

  return json;
}

char *
wavry_stream_stats_get_summary (WavryStreamStats *self,
                                gint64            now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;
  Percentiles lat[WAVRY_LATENCY_LAST];
  double duration_s;

  g_return_val_if_fail (self != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  duration_s = MAX (now_us - self->start_us, 0) / 1e6;

  for (guint k = 0; k < WAVRY_LATENCY_LAST; k++)
    {
      lat[k].n = self->hist_n[k];
      lat[k].p50_ms = hist_percentile (self->hist[k], self->hist_n[k], 50) / 1000.0;
      lat[k].p95_ms = hist_percentile (self->hist[k], self->hist_n[k], 95) / 1000.0;
      lat[k].p99_ms = hist_percentile (self->hist[k], self->hist_n[k], 99) / 1000.0;
    }

  return build_json (duration_s, duration_s, self->rtt_us, self->jitter_us, &self->total, lat);
}

char *
wavry_stream_stats_format_status (WavryStreamStats *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GString *status = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (self->width > 0 && self->height > 0)
    g_string_append_printf (status, "%u×%u ", self->width, self->height);

  if (!self->have_last)
    {
      g_string_append (status, _("waiting for the first second of the stream"));
      return g_string_free (status, FALSE);
    }

  /* TRANSLATORS: frames per second, then the bit rate in megabits per second */
  g_string_append_printf (status, _("%.1f fps · %.1f Mb/s"),
                          self->last_fps, self->last_kbps / 1000.0);
  if (self->rtt_us >= 0)
    g_string_append_printf (status, _(" · RTT %.1f ms"), self->rtt_us / 1000.0);
  g_string_append_printf (status, _(" · loss %.1f %%"), self->last_loss_pct);
  if (isfinite (self->last_p50_ms))
    g_string_append_printf (status, _(" · latency p50 %.1f ms"), self->last_p50_ms);

  return g_string_free (status, FALSE);
}
