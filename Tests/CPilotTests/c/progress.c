/* pilot_cds_wait_progress: the caller's function sees the units' counts
 * during a wait and at its end, and can stop the wait. */
#include <stdio.h>

#include "checks.h"

/* What the progress function saw. */
struct seen {
    int calls;
    pilot_progress last;
    int stop; /* return this to the wait */
};

static int observe(const pilot_progress *progress, void *context) {
    struct seen *seen = context;
    seen->calls++;
    seen->last = *progress;
    return seen->stop;
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    char options[512], description[512];
    pilot_session *session = NULL;
    pilot_pcs *pcs = NULL;
    pilot_compute *pilot = NULL;
    pilot_cds *cds = NULL;
    char *ids = NULL;

    snprintf(options, sizeof options, "{\"session_directory\": \"%s/session\"}", argv[1]);
    snprintf(description, sizeof description,
             "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 4, \"working_directory\": \"%s/work\"}", argv[1]);
    expect_status("open", pilot_session_open(options, &session), PILOT_OK, "");
    expect_status("pcs", pilot_pcs_create(session, &pcs), PILOT_OK, "");
    expect_status("pilot", pilot_pcs_create_pilot(pcs, description, &pilot), PILOT_OK, "");
    expect_status("cds", pilot_cds_create(session, PILOT_BINDING_LATE, &cds), PILOT_OK, "");
    expect_status("add", pilot_cds_add_pcs(cds, pcs), PILOT_OK, "");

    const char *eight = "[{\"executable\": \"/bin/sleep\", \"arguments\": [\"0.2\"]}, {\"executable\": \"/bin/sleep\", \"arguments\": [\"0.2\"]},"
                        " {\"executable\": \"/bin/sleep\", \"arguments\": [\"0.2\"]}, {\"executable\": \"/bin/sleep\", \"arguments\": [\"0.2\"]},"
                        " {\"executable\": \"/bin/sleep\", \"arguments\": [\"0.2\"]}, {\"executable\": \"/bin/sleep\", \"arguments\": [\"0.2\"]},"
                        " {\"executable\": \"/bin/sleep\", \"arguments\": [\"0.2\"]}, {\"executable\": \"/bin/sleep\", \"arguments\": [\"0.2\"]}]";
    expect_status("submit 8", pilot_cds_submit_many(cds, eight, &ids), PILOT_OK, "");
    pilot_string_free(ids);
    struct seen seen = {0};
    expect_status("wait with progress", pilot_cds_wait_progress(cds, 60, PILOT_PROGRESS_NONE, 0.05, observe, &seen), PILOT_OK, "");
    char got[160];
    snprintf(got, sizeof got, "several calls %d, last: total %lld done %lld running %lld queued %lld eta %g",
             seen.calls >= 3, (long long)seen.last.total, (long long)seen.last.done, (long long)seen.last.running,
             (long long)seen.last.queued, seen.last.eta);
    expect_text("what the function saw", got, "several calls 1, last: total 8 done 8 running 0 queued 0 eta 0");

    expect_status("submit a long one", pilot_cds_submit_many(cds, "[{\"executable\": \"/bin/sleep\", \"arguments\": [\"30\"]}]", &ids),
                  PILOT_OK, "");
    pilot_string_free(ids);
    char *cds_id = NULL;
    expect_status("cds id", pilot_cds_id(cds, &cds_id), PILOT_OK, "");
    char message[200];
    snprintf(message, sizeof message, "the wait for %s was stopped by its progress observer", cds_id);
    pilot_string_free(cds_id);
    struct seen stopping = {.stop = 1};
    expect_status("stopped by the function", pilot_cds_wait_progress(cds, 60, PILOT_PROGRESS_NONE, 0.05, observe, &stopping),
                  PILOT_ERR_INTERRUPTED, message);
    expect_status("bad display", pilot_cds_wait_progress(cds, 1, 7, 0.5, NULL, NULL), PILOT_ERR_INVALID_ARGUMENT,
                  "display 7 is no pilot_progress_display; pass PILOT_PROGRESS_NONE or PILOT_PROGRESS_AUTO");
    expect_status("bad interval", pilot_cds_wait_progress(cds, 1, PILOT_PROGRESS_NONE, 0, NULL, NULL), PILOT_ERR_INVALID_ARGUMENT,
                  "interval 0.0 is not a positive number of seconds");
    expect_status("cancel", pilot_cds_cancel(cds), PILOT_OK, "");

    pilot_cds_release(cds);
    pilot_compute_release(pilot);
    pilot_pcs_release(pcs);
    expect_status("close", pilot_session_close(session), PILOT_OK, "");
    return checks_report();
}
