/* A manager that dies: starts a pilot with a long unit, prints the agent's
 * and the unit's pids, then kills itself with SIGKILL. The agent must
 * notice and exit, killing its unit. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pilot.h"

static long json_number(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(json, pattern);
    if (!at) return -1;
    at += strlen(pattern);
    if (*at == '"') at++;
    return strtol(at, NULL, 10);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    pilot_session *session;
    pilot_pcs *pcs;
    pilot_compute *pilot;
    pilot_unit *unit;
    char description[1024], *details;
    int state = 0;
    snprintf(description, sizeof description,
             "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 1, \"working_directory\": \"%s\"}", argv[1]);
    if (pilot_session_open(NULL, &session) || pilot_pcs_create(session, &pcs)
        || pilot_pcs_create_pilot(pcs, description, &pilot) || pilot_compute_wait_started(pilot, 30, &state)
        || pilot_compute_submit(pilot, "{\"executable\": \"/bin/sleep\", \"arguments\": [600]}", &unit)) {
        fprintf(stderr, "setup failed: %s\n", pilot_last_error());
        return 1;
    }
    for (int tries = 0; tries < 500 && state != PILOT_STATE_RUNNING; tries++) {
        pilot_unit_wait(unit, 0.02, NULL);
        pilot_unit_state(unit, &state);
    }
    pilot_compute_details(pilot, &details);
    printf("agent %ld\n", json_number(details, "native_id"));
    pilot_string_free(details);
    pilot_unit_details(unit, &details);
    printf("unit %ld\n", json_number(details, "pid"));
    pilot_string_free(details);
    fflush(stdout);
    raise(SIGKILL);
    return 0;
}
