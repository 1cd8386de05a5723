/* The job calls speak the header's numbers: pilot_job_status, the states
 * of pilot_job_wait and the "state" of pilot_job_info are pilot_job_state
 * values, its masks are bits of them. Jobs are local processes (fork). */
#include <stdio.h>
#include <string.h>

#include "checks.h"

int main(void) {
    pilot_job_service *jobs = NULL;
    char *done_id = NULL, *failed_id = NULL, *text = NULL, *native = NULL;
    char ids[256], want[256], number[16];
    int state = -1;

    expect_status("open", pilot_job_service_open("fork://localhost", &jobs), PILOT_OK, "");
    expect_status("submit /bin/true", pilot_job_submit(jobs, "{\"executable\": \"/bin/true\", "
                                                             "\"output\": \"/dev/null\", \"error\": \"/dev/null\"}", &done_id),
                  PILOT_OK, "");
    expect_status("submit exit 3", pilot_job_submit(jobs, "{\"executable\": \"/bin/sh\", \"arguments\": [\"-c\", \"exit 3\"], "
                                                          "\"output\": \"/dev/null\", \"error\": \"/dev/null\"}", &failed_id),
                  PILOT_OK, "");
    snprintf(ids, sizeof ids, "[\"%s\", \"%s\"]", done_id, failed_id);

    expect_status("wait", pilot_job_wait(jobs, ids, 1u << PILOT_JOB_DONE | 1u << PILOT_JOB_FAILED, 30, &text), PILOT_OK, "");
    if (strcmp(done_id, failed_id) < 0)
        snprintf(want, sizeof want, "{\"%s\":%d,\"%s\":%d}", done_id, PILOT_JOB_DONE, failed_id, PILOT_JOB_FAILED);
    else
        snprintf(want, sizeof want, "{\"%s\":%d,\"%s\":%d}", failed_id, PILOT_JOB_FAILED, done_id, PILOT_JOB_DONE);
    expect_text("wait gives pilot_job_state numbers", text, want);
    pilot_string_free(text);
    expect_status("wait, mask 0", pilot_job_wait(jobs, ids, 0, 30, NULL), PILOT_OK, "");

    expect_status("status", pilot_job_status(jobs, failed_id, &state, &native), PILOT_OK, "");
    snprintf(number, sizeof number, "%d", state);
    snprintf(want, sizeof want, "%d", PILOT_JOB_FAILED);
    expect_text("pilot_job_status of the job that exited 3", number, want);
    expect_text("native state", native, "exited 3");
    pilot_string_free(native);

    expect_status("info", pilot_job_info(jobs, done_id, &text), PILOT_OK, "");
    snprintf(want, sizeof want, "\"state\":%d,", PILOT_JOB_DONE);
    expect_text("info's state is a pilot_job_state", text != NULL && strstr(text, want) != NULL ? want : text, want);
    pilot_string_free(text);

    expect_status("a mask bit of no state", pilot_job_wait(jobs, ids, 1u << 20, 1, NULL), PILOT_ERR_INVALID_ARGUMENT,
                  "states_mask 0x100000 has bits of no pilot_job_state; combine 1 << PILOT_JOB_... bits, or pass 0 for done or failed");
    expect_status("an action of no pilot_job_action", pilot_job_control(jobs, done_id, PILOT_JOB_RELEASE + 1),
                  PILOT_ERR_INVALID_ARGUMENT,
                  "action 5 is not a pilot_job_action; use PILOT_JOB_TERMINATE, _SUSPEND, _RESUME, _HOLD or _RELEASE");

    pilot_string_free(done_id);
    pilot_string_free(failed_id);
    expect_status("release", pilot_job_service_release(jobs), PILOT_OK, "");
    return checks_report();
}
