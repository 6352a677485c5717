// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: the latency histogram, log-bucketed (see main.c).
 */
#include "ipo_bench.h"

static unsigned int bucket_of(uint64_t v)
{
	unsigned int e;

	if (v < SUB)
		return v;
	e = 63 - __builtin_clzll(v);
	return (e - SUB_BITS) * SUB + (unsigned int)(v >> (e - SUB_BITS));
}

/* The midpoint of bucket @i (its only value below SUB). */
uint64_t bucket_mid(unsigned int i)
{
	unsigned int e;
	uint64_t lo, w;

	if (i < 2 * SUB)
		return i;
	e = i / SUB + SUB_BITS - 1;
	w = 1ULL << (e - SUB_BITS);
	lo = (uint64_t)(i % SUB + SUB) << (e - SUB_BITS);
	return lo + w / 2;
}

void hist_add(struct hist *h, uint64_t v)
{
	h->b[bucket_of(v)]++;
	h->n++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	if (!h->min || v < h->min)
		h->min = v;
}

uint64_t hist_pct(const struct hist *h, double p)
{
	uint64_t want = (uint64_t)(p / 100.0 * h->n + 0.999999), seen = 0;
	unsigned int i;

	if (!want)
		want = 1;
	for (i = 0; i < NR_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= want)
			return bucket_mid(i) < h->max ? bucket_mid(i) : h->max;
	}
	return h->max;
}
