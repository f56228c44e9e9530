/* One entry to every renderer: the format asked for, rendered. Above the
 * renderers, which share report.c below them. */
#include "report-internal.h"

/* The caller dumps report_json() itself for the wire; here the reals get
 * enough digits that 0.296 prints as 0.296, not 0.29599999999999999. */
static char *report_render_json(const Report *r) {
        json_t *j = report_json(r);
        char *s;

        if (!j)
                return NULL;
        s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        json_decref(j);
        return s;
}

char *report_render(const Report *r, ReportFormat format) {
        StrBuf b = {};

        if (!r)
                return NULL;
        switch (format) {
        case REPORT_TEXT:
        case REPORT_MARKDOWN:
                report_text(&b, r, format);
                break;
        case REPORT_HTML:
                report_html(&b, r);
                break;
        case REPORT_JSON:
                return report_render_json(r);
        default:
                return NULL;
        }
        return strbuf_finish(&b);
}
