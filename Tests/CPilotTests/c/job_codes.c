/* The job calls speak the header's numbers: pilot_job_status, the states
 * of pilot_job_wait and the "state" of pilot_job_info are pilot_job_state
 * values, its masks are bits of them. Jobs are local processes (fork). */
#include <stdio.h>
#include <string.h>

#include "pilot.h"

static int failures = 0;
static int checks = 0;

/* Checks a call's status. */
static void expect_ok(const char *what, int status) {
    checks++;
    if (status != PILOT_OK) {
        failures++;
        printf("FAIL %s: %d %s\n", what, status, pilot_last_error());
    }
}

/* Checks that `text` is `want`, then frees it. */
static void expect_text(const char *what, char *text, const char *want) {
    checks++;
    if (text == NULL || strcmp(text, want) != 0) {
        failures++;
        printf("FAIL %s: got %s, want %s\n", what, text ? text : "(null)", want);
    } else {
        printf("ok %s: %s\n", what, text);
    }
    pilot_string_free(text);
}

/* Checks that `text` holds `part`, then frees it. */
static void expect_part(const char *what, char *text, const char *part) {
    checks++;
    if (text == NULL || strstr(text, part) == NULL) {
        failures++;
        printf("FAIL %s: %s does not hold %s\n", what, text ? text : "(null)", part);
    } else {
        printf("ok %s: holds %s\n", what, part);
    }
    pilot_string_free(text);
}

int main(void) {
    pilot_job_service *jobs = NULL;
    char *done_id = NULL, *failed_id = NULL, *text = NULL, *native = NULL;
    char ids[256], want[256];
    int state = -1;

    expect_ok("open", pilot_job_service_open("fork://localhost", &jobs));
    expect_ok("submit /bin/true", pilot_job_submit(jobs, "{\"executable\": \"/bin/true\", "
                                                         "\"output\": \"/dev/null\", \"error\": \"/dev/null\"}", &done_id));
    expect_ok("submit exit 3", pilot_job_submit(jobs, "{\"executable\": \"/bin/sh\", \"arguments\": [\"-c\", \"exit 3\"], "
                                                      "\"output\": \"/dev/null\", \"error\": \"/dev/null\"}", &failed_id));
    snprintf(ids, sizeof ids, "[\"%s\", \"%s\"]", done_id, failed_id);

    expect_ok("wait", pilot_job_wait(jobs, ids, 1u << PILOT_JOB_DONE | 1u << PILOT_JOB_FAILED, 30, &text));
    snprintf(want, sizeof want, "{\"%s\":%d,\"%s\":%d}", done_id, PILOT_JOB_DONE, failed_id, PILOT_JOB_FAILED);
    if (strcmp(done_id, failed_id) > 0)
        snprintf(want, sizeof want, "{\"%s\":%d,\"%s\":%d}", failed_id, PILOT_JOB_FAILED, done_id, PILOT_JOB_DONE);
    expect_text("wait gives pilot_job_state numbers", text, want);
    expect_ok("wait, mask 0", pilot_job_wait(jobs, ids, 0, 30, NULL));

    expect_ok("status", pilot_job_status(jobs, failed_id, &state, &native));
    checks++;
    if (state != PILOT_JOB_FAILED) {
        failures++;
        printf("FAIL status: got %d, want PILOT_JOB_FAILED (%d)\n", state, PILOT_JOB_FAILED);
    }
    expect_text("native state", native, "exited 3");

    expect_ok("info", pilot_job_info(jobs, done_id, &text));
    snprintf(want, sizeof want, "\"state\":%d,", PILOT_JOB_DONE);
    expect_part("info's state is a pilot_job_state", text, want);

    checks++;
    if (pilot_job_wait(jobs, ids, 1u << 20, 1, NULL) != PILOT_ERR_INVALID_ARGUMENT
        || strcmp(pilot_last_error(), "states_mask 0x100000 has bits of no pilot_job_state; combine 1 << PILOT_JOB_... bits, "
                                      "or pass 0 for done or failed") != 0) {
        failures++;
        printf("FAIL a mask bit of no state: %s\n", pilot_last_error());
    }
    checks++;
    if (pilot_job_control(jobs, done_id, PILOT_JOB_RELEASE + 1) != PILOT_ERR_INVALID_ARGUMENT
        || strcmp(pilot_last_error(), "action 5 is not a pilot_job_action; use PILOT_JOB_TERMINATE, _SUSPEND, _RESUME, _HOLD or _RELEASE") != 0) {
        failures++;
        printf("FAIL an action of no pilot_job_action: %s\n", pilot_last_error());
    }

    pilot_string_free(done_id);
    pilot_string_free(failed_id);
    expect_ok("release", pilot_job_service_release(jobs));
    printf("%d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
