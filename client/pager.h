/* Long output through a pager, as git does it: a command prints into the
 * Pager's FILE, and pager_end() shows the text in $LOOKBACK_PAGER, else
 * $PAGER, else "less -FRX" when stdout is a terminal the text would
 * overflow; otherwise it goes to stdout as it is. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
        FILE *f;       /* print here: a memory buffer, or stdout itself */
        bool terminal; /* stdout is a terminal, so escape sequences (bold) are read as such */
        char *buffer;  /* what open_memstream() collected */
        size_t size;
} Pager;

/* Starts collecting output. Without a terminal on stdout, with @enabled
 * false (--no-pager) or when no buffer can be had, p->f is stdout. */
void pager_begin(Pager *p, bool enabled);
/* Shows what was printed into p->f, in the pager or on stdout, waits for
 * the pager to quit and frees the buffer. A pager that cannot be started
 * loses nothing: the text goes to stdout instead. */
void pager_end(Pager *p);
