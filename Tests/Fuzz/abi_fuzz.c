/*
 * libFuzzer target over the C ABI, and through it the JSON parser and the
 * description validators: the first input byte picks an entry point, the
 * rest is its text argument. Every call must return a status; a trap or a
 * sanitizer report is a crash. Built and run by Tests/Fuzz/run.
 *
 * Nothing here may touch the machine: inputs naming a directory
 * ("working_directory", "session_directory") are skipped, and run sets
 * PILOT_AGENT to a path that does not exist, so no pilot ever starts.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pilot.h"

static pilot_session *session;
static pilot_pcs *pcs;
static pilot_cds *cds;
static long queued;

/* A new session: a session keeps every unit ever submitted (they can be
 * asked for by id), so the target starts over now and then to bound its memory. */
static void fresh_session(void) {
    if (session != NULL) {
        pilot_cds_release(cds);
        pilot_pcs_release(pcs);
        pilot_session_close(session);
    }
    if (pilot_session_open(NULL, &session) != PILOT_OK || pilot_pcs_create(session, &pcs) != PILOT_OK
        || pilot_cds_create(session, PILOT_BINDING_LATE, &cds) != PILOT_OK || pilot_cds_add_pcs(cds, pcs) != PILOT_OK) {
        fprintf(stderr, "abi_fuzz: cannot set up: %s\n", pilot_last_error());
        abort();
    }
    queued = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fresh_session();
    return 0;
}

static double number_from(const char *text) {
    double value = 0;
    memcpy(&value, text, strlen(text) >= sizeof value ? sizeof value : strlen(text));
    return value;
}

/* A timeout from the input: NaN stays NaN (an error to report), anything
 * else becomes under a millisecond (no pilot will ever end these waits). */
static double short_timeout(const char *text) {
    double value = number_from(text);
    return isnan(value) ? value : fmod(fabs(value), 0.001);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    char *text = malloc(size);
    if (text == NULL) return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (strstr(text, "directory") != NULL) {
        free(text);
        return 0;
    }
    char *out = NULL;
    pilot_unit *unit = NULL;
    pilot_compute *pilot = NULL;
    int state = 0;
    pilot_du *du = NULL;
    switch (data[0] % 9) {
    case 0:
        if (pilot_cds_submit(cds, text, &unit) == PILOT_OK) {
            pilot_unit_details(unit, &out);
            pilot_unit_release(unit);
            queued++;
        }
        break;
    case 1:
        if (pilot_cds_submit_many(cds, text, &out) == PILOT_OK) queued += 10;
        break;
    case 2:
        /* Validation runs fully before the launcher, which fails: no agent exists. */
        if (pilot_pcs_create_pilot(pcs, text, &pilot) == PILOT_OK) pilot_compute_release(pilot);
        break;
    case 3:
        if (pilot_session_find_unit(session, text, &unit) == PILOT_OK) {
            pilot_unit_wait(unit, short_timeout(text), &state);
            pilot_unit_release(unit);
        }
        break;
    case 4:
        pilot_session_find_pilot(session, text, &pilot);
        break;
    case 5:
        pilot_state_name((int)number_from(text));
        pilot_status_name((int)number_from(text));
        break;
    case 6:
        pilot_cds_wait(cds, short_timeout(text));
        break;
    case 7:
        /* The data unit description is validated; with no pilot data service added, nothing is copied. */
        if (pilot_cds_submit_data(cds, text, &du) == PILOT_OK) pilot_du_release(du);
        break;
    default:
        pilot_unit_state((pilot_unit *)(uintptr_t)number_from(text), &state);
        break;
    }
    pilot_string_free(out);
    free(text);
    if (queued > 20000) fresh_session();
    return 0;
}
