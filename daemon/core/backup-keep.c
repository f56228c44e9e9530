#include "backup-keep.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

typedef enum {
        BUCKET_DAY,
        BUCKET_WEEK,
        BUCKET_MONTH,
} Bucket;

static int64_t bucket_of(day_t day, Bucket b, WeekStart ws) {
        int year, month, mday;
        switch (b) {
        case BUCKET_WEEK:
                return period_week(day, ws).start;
        case BUCKET_MONTH:
                date_to_ymd(day, &year, &month, &mday);
                return (int64_t) year * 12 + month;
        default:
                return day;
        }
}

/* Newest first. */
static int compare_days_desc(const void *a, const void *b, void *userdata) {
        const day_t *days = userdata;
        day_t x = days[*(const size_t *) a], y = days[*(const size_t *) b];
        return (x < y) - (x > y);
}

/* Walks @order (newest first): the first snapshot of each new bucket is
 * that bucket's newest, kept for the first @count buckets. */
static void keep_newest_per_bucket(const day_t *days, const size_t *order, size_t n, Bucket b, unsigned count,
                                   WeekStart ws, bool *keep) {
        unsigned taken = 0;
        int64_t last = INT64_MIN;
        for (size_t i = 0; i < n && taken < count; i++) {
                int64_t bucket = bucket_of(days[order[i]], b, ws);
                if (i > 0 && bucket == last)
                        continue;
                last = bucket;
                keep[order[i]] = true;
                taken++;
        }
}

int backup_keep_select(const day_t *days, size_t n, BackupKeep rule, day_t today, WeekStart ws, bool *keep) {
        size_t *order = calloc(n ? n : 1, sizeof(size_t));
        size_t m = 0;
        if (!order)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                keep[i] = days[i] > today;
                if (!keep[i])
                        order[m++] = i;
        }
        qsort_r(order, m, sizeof(size_t), compare_days_desc, (void *) days);
        keep_newest_per_bucket(days, order, m, BUCKET_DAY, rule.daily, ws, keep);
        keep_newest_per_bucket(days, order, m, BUCKET_WEEK, rule.weekly, ws, keep);
        keep_newest_per_bucket(days, order, m, BUCKET_MONTH, rule.monthly, ws, keep);
        free(order);
        return 0;
}
