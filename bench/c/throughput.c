/*
 * N units of /bin/true on one fork pilot with S slots, through the C API:
 * submitted one by one with pilot_cds_submit, awaited with pilot_cds_wait.
 *
 *   throughput N S SANDBOX_BASE  -> {"bench":"throughput","face":"c",...}
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pilot.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void check(int status, const char *what) {
    if (status != PILOT_OK) {
        fprintf(stderr, "throughput: %s: %s\n", what, pilot_last_error());
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: throughput N S SANDBOX_BASE\n");
        return 2;
    }
    long units = strtol(argv[1], NULL, 10), slots = strtol(argv[2], NULL, 10);
    if (units < 1 || slots < 1) {
        fprintf(stderr, "throughput: N and S must be positive integers\n");
        return 2;
    }
    char description[4096];
    snprintf(description, sizeof description,
             "{\"service_url\": \"fork://localhost\", \"number_of_processes\": %ld, \"working_directory\": \"%s/pilot-bench-c\"}",
             slots, argv[3]);
    pilot_session *session;
    pilot_pcs *pcs;
    pilot_compute *pilot;
    pilot_cds *cds;
    int state;
    check(pilot_session_open(NULL, &session), "session");
    check(pilot_pcs_create(session, &pcs), "pcs");
    check(pilot_pcs_create_pilot(pcs, description, &pilot), "pilot");
    check(pilot_compute_wait_started(pilot, 60, &state), "pilot start");
    check(pilot_cds_create(session, PILOT_BINDING_LATE, &cds), "cds");
    check(pilot_cds_add_pcs(cds, pcs), "add pcs");

    pilot_unit **submitted = malloc(sizeof *submitted * (size_t)units);
    if (submitted == NULL) return 1;
    double began = now();
    for (long i = 0; i < units; i++) {
        check(pilot_cds_submit(cds, "{\"executable\": \"/bin/true\"}", &submitted[i]), "submit");
    }
    check(pilot_cds_wait(cds, -1), "wait");
    double seconds = now() - began;

    long done = 0;
    for (long i = 0; i < units; i++) {
        check(pilot_unit_state(submitted[i], &state), "unit state");
        if (state == PILOT_STATE_DONE) done++;
        pilot_unit_release(submitted[i]);
    }
    free(submitted);
    printf("{\"bench\":\"throughput\",\"face\":\"c\",\"units\":%ld,\"slots\":%ld,\"seconds\":%.6f,\"rate\":%.1f,"
           "\"states\":{\"Done\":%ld}}\n", units, slots, seconds, (double)units / seconds, done);
    pilot_cds_release(cds);
    pilot_compute_release(pilot);
    pilot_pcs_release(pcs);
    check(pilot_session_close(session), "close");
    return 0;
}
