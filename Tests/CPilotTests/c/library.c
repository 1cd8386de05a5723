/* The library-wide calls: the version (header against library), and the
 * texts of the header's codes. Prints one line per check. */
#include <stdio.h>
#include <string.h>

#include "pilot.h"

static int failures = 0;
static int checks = 0;

/* Checks that `got` is the text `want`. */
static void expect_text(const char *what, const char *got, const char *want) {
    checks++;
    if (got == NULL || strcmp(got, want) != 0) {
        failures++;
        printf("FAIL %s: got \"%s\", want \"%s\"\n", what, got ? got : "(null)", want);
    } else {
        printf("ok %s: %s\n", what, got);
    }
}

int main(void) {
    char numbers[64];
    snprintf(numbers, sizeof numbers, "%d.%d.%d", PILOT_VERSION_MAJOR, PILOT_VERSION_MINOR, PILOT_VERSION_PATCH);
    expect_text("PILOT_VERSION is MAJOR.MINOR.PATCH", PILOT_VERSION, numbers);
    expect_text("pilot_version() is the header's PILOT_VERSION", pilot_version(), PILOT_VERSION);
    expect_text("pilot_version() is static", pilot_version() == pilot_version() ? "same" : "different", "same");

    printf("%d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
