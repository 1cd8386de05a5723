/* Acceptance 2: 200 units on a fork pilot from C, with a state callback
 * that must see exactly one call per state change, in order per unit. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pilot.h"

#define UNITS 200

struct tracker {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    char ids[UNITS][64];
    int last_state[UNITS];
    int events[UNITS];
    int known;
    int unit_events;
    int out_of_order;
    int pilot_running;
};

static struct tracker tracker;

#define CHECK(call)                                                                   \
    do {                                                                              \
        int status_ = (call);                                                         \
        if (status_ != PILOT_OK) {                                                    \
            fprintf(stderr, "%s failed: %d %s\n", #call, status_, pilot_last_error()); \
            exit(1);                                                                  \
        }                                                                             \
    } while (0)

static void on_event(void *user_data, int kind, const char *id, int state, int previous, const char *reason) {
    struct tracker *t = user_data;
    (void)reason;
    pthread_mutex_lock(&t->lock);
    if (kind == PILOT_OBJECT_PILOT) {
        if (state == PILOT_STATE_RUNNING) t->pilot_running++;
    } else {
        int index = -1;
        for (int i = 0; i < t->known; i++) {
            if (strcmp(t->ids[i], id) == 0) { index = i; break; }
        }
        if (index < 0 && t->known < UNITS) {
            index = t->known++;
            snprintf(t->ids[index], sizeof t->ids[index], "%s", id);
            t->last_state[index] = PILOT_STATE_UNKNOWN;
        }
        if (index >= 0) {
            if (t->last_state[index] != previous || state <= previous) t->out_of_order++;
            t->last_state[index] = state;
            t->events[index]++;
        }
        t->unit_events++;
    }
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
}

static char *read_file(const char *path) {
    FILE *file = fopen(path, "r");
    if (!file) return NULL;
    static char buffer[256];
    size_t count = fread(buffer, 1, sizeof buffer - 1, file);
    buffer[count] = 0;
    fclose(file);
    return buffer;
}

/* The value of "key":"..." in a flat JSON object (no escapes needed here). */
static void json_string(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
    out[0] = 0;
    if (!start) return;
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (!end || (size_t)(end - start) >= size) return;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s WORKING_DIRECTORY\n", argv[0]);
        return 2;
    }
    pthread_mutex_init(&tracker.lock, NULL);
    pthread_cond_init(&tracker.changed, NULL);
    printf("libpilot %s\n", pilot_version());
    pilot_session *session;
    CHECK(pilot_session_open(NULL, &session));
    uint64_t subscription;
    CHECK(pilot_session_subscribe(session, on_event, &tracker, &subscription));

    pilot_pcs *pcs;
    CHECK(pilot_pcs_create(session, &pcs));
    char description[1024];
    snprintf(description, sizeof description,
             "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 4, \"working_directory\": \"%s\"}", argv[1]);
    pilot_compute *pilot;
    CHECK(pilot_pcs_create_pilot(pcs, description, &pilot));
    int state;
    CHECK(pilot_compute_wait_started(pilot, 30, &state));
    printf("pilot %s\n", pilot_state_name(state));

    pilot_cds *cds;
    CHECK(pilot_cds_create(session, PILOT_BINDING_LATE, &cds));
    CHECK(pilot_cds_add_pcs(cds, pcs));
    pilot_unit *units[UNITS];
    for (int i = 0; i < UNITS; i++) {
        char unit[256];
        snprintf(unit, sizeof unit, "{\"executable\": \"/bin/echo\", \"arguments\": [\"unit\", %d]}", i);
        CHECK(pilot_cds_submit(cds, unit, &units[i]));
    }
    CHECK(pilot_cds_wait(cds, 120));

    int done = 0, right_output = 0;
    for (int i = 0; i < UNITS; i++) {
        CHECK(pilot_unit_state(units[i], &state));
        if (state == PILOT_STATE_DONE) done++;
        char *details;
        CHECK(pilot_unit_details(units[i], &details));
        char directory[512], path[600], expected[64];
        json_string(details, "working_directory", directory, sizeof directory);
        pilot_string_free(details);
        snprintf(path, sizeof path, "%s/stdout", directory);
        snprintf(expected, sizeof expected, "unit %d\n", i);
        char *output = read_file(path);
        if (output && strcmp(output, expected) == 0) right_output++;
        CHECK(pilot_unit_release(units[i]));
    }
    printf("done %d of %d, right output %d\n", done, UNITS, right_output);

    /* Events are delivered asynchronously: wait (bounded) for all 4 per unit. */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    pthread_mutex_lock(&tracker.lock);
    while (tracker.unit_events < 4 * UNITS) {
        if (pthread_cond_timedwait(&tracker.changed, &tracker.lock, &deadline) != 0) break;
    }
    pthread_mutex_unlock(&tracker.lock);
    CHECK(pilot_session_unsubscribe(session, subscription));

    int exactly_four = 0;
    for (int i = 0; i < tracker.known; i++) {
        if (tracker.events[i] == 4 && tracker.last_state[i] == PILOT_STATE_DONE) exactly_four++;
    }
    printf("unit events %d, units with New>Pending>Running>Done %d, out of order %d, pilot running events %d\n",
           tracker.unit_events, exactly_four, tracker.out_of_order, tracker.pilot_running);

    CHECK(pilot_cds_release(cds));
    CHECK(pilot_compute_release(pilot));
    CHECK(pilot_pcs_release(pcs));
    CHECK(pilot_session_close(session));
    return done == UNITS && right_output == UNITS && exactly_four == UNITS && tracker.unit_events == 4 * UNITS
                   && tracker.out_of_order == 0 && tracker.pilot_running == 1
               ? 0
               : 1;
}
