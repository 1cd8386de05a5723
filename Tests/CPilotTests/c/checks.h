/* Counted checks for the C test programs: each prints "ok ..." or
 * "FAIL ...", and checks_report() prints the totals and gives the exit
 * status. Static inline: a program uses the ones it needs. */
#ifndef CHECKS_H
#define CHECKS_H

#include <stdio.h>
#include <string.h>

#include "pilot.h"

static int failures = 0;
static int checks = 0;

/* Checks that `got` is the text `want`. */
static inline void expect_text(const char *what, const char *got, const char *want) {
    checks++;
    if (got == NULL || strcmp(got, want) != 0) {
        failures++;
        printf("FAIL %s: got \"%s\", want \"%s\"\n", what, got ? got : "(null)", want);
    } else {
        printf("ok %s: %s\n", what, got);
    }
}

/* Checks that a call returned `expected`, and for a failure that
 * pilot_last_error() is `message`. */
static inline void expect_status(const char *what, int status, int expected, const char *message) {
    checks++;
    if (status != expected || (expected != PILOT_OK && strcmp(pilot_last_error(), message) != 0)) {
        failures++;
        printf("FAIL %s: got %d \"%s\", want %d \"%s\"\n", what, status, pilot_last_error(), expected, message);
    } else {
        printf("ok %s: %d\n", what, status);
    }
}

/* Prints the totals; returns the exit status (0: nothing failed). */
static inline int checks_report(void) {
    printf("%d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}

#endif /* CHECKS_H */
