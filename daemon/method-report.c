/* The Report method: the lapse report over a range, rendered. */
#include <errno.h>
#include <stdlib.h>

#include "method.h"
#include "report-build.h"

typedef struct {
        const char *from;
        const char *to;
        const char *format;
} ReportParams;

static int method_report(Manager *m, const Now *now, const void *params, MethodResult *res) {
        const ReportParams *p = params;
        int format = p->format ? report_format_from_string(p->format) : REPORT_JSON;
        day_t to, from;
        ReportBuild b;

        if (format < 0)
                return method_invalid(res, "format");
        /* The future has no periods to judge yet: a report up to next June
         * would call every habit lapsed. */
        if (!method_param_date(now, "to", p->to, res, &to) ||
            !method_param_any_date(now, "from", p->from, report_default_from(to), res, &from))
                return 0;
        if (from > to)
                return method_invalid(res, "from");
        int r = report_build(m->store, m->config, from, to, now->today, &b);
        if (r == -E2BIG)
                return method_invalid(res, "from"); /* a range of more periods than we compute */
        if (r < 0)
                return r;
        json_t *report = report_json(&b.report);
        char *content = format == REPORT_JSON ? NULL : report_render(&b.report, format);
        report_build_done(&b);
        if (!report || (format != REPORT_JSON && !content)) {
                json_decref(report);
                free(content);
                return -ENOMEM;
        }
        res->reply = json_pack("{s:s, s:o, s:s*}", "format", report_format_to_string(format), "report", report,
                               "content", content);
        free(content);
        return res->reply ? 0 : -ENOMEM;
}

static const ParamSpec params_report[] = {
        DATE_PARAM("from", ReportParams, from),
        DATE_PARAM("to", ReportParams, to),
        { "format", PARAM_STRING, false, 16, offsetof(ReportParams, format) },
        {},
};

const Method method_report_table[] = {
        { "io.lookback.Report", method_report, false, params_report, sizeof(ReportParams) },
        {},
};
