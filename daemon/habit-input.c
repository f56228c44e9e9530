#include "habit-input.h"

#include "util.h"

int habit_review_kind(const HabitConfig *h) {
        for (int k = 0; k < _REVIEW_KIND_MAX; k++)
                if (streq(h->name, review_kind_habit(k)))
                        return k;
        return -1;
}

static HabitKind habit_kind(int review_kind) {
        switch (review_kind) {
        case REVIEW_WEEKLY:
                return HABIT_WEEKLY_REVIEW;
        case REVIEW_HALFYEAR:
                return HABIT_HALFYEAR_REVIEW;
        default:
                return HABIT_PLAIN;
        }
}

int habit_source_load(Store *store, const Config *config, const HabitConfig *h, HabitSource *ret) {
        int review_kind = habit_review_kind(h);
        int r;

        *ret = (HabitSource){ .config = h };
        r = store_habit_events(store, h->name, review_kind, false, &ret->checkins);
        if (r >= 0)
                r = store_habit_events(store, h->name, -1, true, &ret->skips);
        if (r >= 0)
                r = store_pauses(store, h->name, &ret->pauses);
        if (r < 0) {
                habit_source_done(ret);
                return r;
        }
        ret->input = (HabitInput){
                .name = h->name,
                .kind = habit_kind(review_kind),
                .every = h->every,
                .times = h->times,
                .lapse_after = h->lapse_after,
                .has_since = h->has_since,
                .since = h->since,
                .week_start = config->week_start,
                .checkins = ret->checkins.items,
                .n_checkins = ret->checkins.n,
                .skips = ret->skips.items,
                .n_skips = ret->skips.n,
                .pauses = ret->pauses.items,
                .n_pauses = ret->pauses.n,
        };
        return 0;
}

void habit_source_done(HabitSource *s) {
        store_events_done(&s->checkins);
        store_events_done(&s->skips);
        store_pauses_done(&s->pauses);
        *s = (HabitSource){};
}
