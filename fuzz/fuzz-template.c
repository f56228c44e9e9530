/* libFuzzer: the answer template parser and goal marks never crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text = malloc(size + 1);
        char *questions[] = { "What went well this week?", "What did not, and why?", "" };
        TemplateAnswers a = {};
        TemplateGoalMark *marks = NULL;
        size_t n, bad;
        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        if (template_parse(text, questions, 3, &a) >= 0)
                template_answers_done(&a);
        if (template_goal_marks(text, &marks, &n, &bad) >= 0)
                free(marks);
        free(text);
        return 0;
}
