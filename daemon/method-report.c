/* The Report method: the lapse report over a range, rendered. */
#include <errno.h>
#include <stdlib.h>

#include "method.h"
#include "protocol.h"
#include "reports.h"

int method_report(Manager *m, json_t *params, MethodResult *res) {
        const char *format_text = varlink_get_string(params, "format");
        int format = format_text ? report_format_from_string(format_text) : REPORT_JSON;
        day_t to, from;
        ReportBuild b;

        if (format < 0)
                return method_invalid(res, "format");
        /* The future has no periods to judge yet: a report up to next June
         * would call every habit lapsed. */
        if (!method_param_date(params, "to", res, &to) ||
            !method_param_any_date(params, "from", reports_default_from(to), res, &from))
                return 0;
        if (from > to)
                return method_invalid(res, "from");
        int r = reports_build(m, from, to, &b);
        if (r == -E2BIG)
                return method_invalid(res, "from"); /* a range of more periods than we compute */
        if (r < 0)
                return r;
        json_t *report = report_json(&b.report);
        char *content = format == REPORT_JSON ? NULL : report_render(&b.report, format);
        reports_build_done(&b);
        if (!report || (format != REPORT_JSON && !content)) {
                json_decref(report);
                free(content);
                return -ENOMEM;
        }
        res->reply = json_pack("{s:s, s:o, s:s*}", "format", format_text ? format_text : "json", "report", report,
                               "content", content);
        free(content);
        return res->reply ? 0 : -ENOMEM;
}
