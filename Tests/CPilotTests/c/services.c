/* pilot_cds_details: what the coordinator records of a ComputeDataService
 * (binding, the PCSs added, cancelled), the same through every handle. */
#include <stdio.h>
#include <string.h>

#include "pilot.h"

static int failures = 0;
static int checks = 0;

/* Checks a call's status and that pilot_last_error() is `message` on failure. */
static void expect(const char *what, int status, int expected_status, const char *message) {
    checks++;
    if (status != expected_status || (status != PILOT_OK && strcmp(pilot_last_error(), message) != 0)) {
        failures++;
        printf("FAIL %s: got %d \"%s\", want %d \"%s\"\n", what, status, pilot_last_error(), expected_status, message);
    }
}

/* Checks that pilot_cds_details of `cds` is `want`. */
static void expect_details(const char *what, pilot_cds *cds, const char *want) {
    char *details = NULL;
    expect(what, pilot_cds_details(cds, &details), PILOT_OK, "");
    checks++;
    if (details == NULL || strcmp(details, want) != 0) {
        failures++;
        printf("FAIL %s: got %s, want %s\n", what, details ? details : "(null)", want);
    } else {
        printf("ok %s: %s\n", what, details);
    }
    pilot_string_free(details);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    char options[512], want[512];
    pilot_session *session = NULL;
    pilot_pcs *kept = NULL, *removed = NULL;
    pilot_cds *cds = NULL, *found = NULL;
    char *cds_id = NULL, *kept_id = NULL;

    snprintf(options, sizeof options, "{\"session_directory\": \"%s/session\"}", argv[1]);
    expect("open", pilot_session_open(options, &session), PILOT_OK, "");
    expect("pcs", pilot_pcs_create(session, &kept), PILOT_OK, "");
    expect("pcs", pilot_pcs_create(session, &removed), PILOT_OK, "");
    expect("cds", pilot_cds_create(session, PILOT_BINDING_EARLY, &cds), PILOT_OK, "");
    expect("cds id", pilot_cds_id(cds, &cds_id), PILOT_OK, "");
    expect("pcs id", pilot_pcs_id(kept, &kept_id), PILOT_OK, "");

    snprintf(want, sizeof want, "{\"binding\":%d,\"canceled\":false,\"id\":\"%s\",\"pilot_service_ids\":[]}", PILOT_BINDING_EARLY, cds_id);
    expect_details("a new service", cds, want);
    expect("add", pilot_cds_add_pcs(cds, removed), PILOT_OK, "");
    expect("add", pilot_cds_add_pcs(cds, kept), PILOT_OK, "");
    expect("remove", pilot_cds_remove_pcs(cds, removed), PILOT_OK, "");
    snprintf(want, sizeof want, "{\"binding\":%d,\"canceled\":false,\"id\":\"%s\",\"pilot_service_ids\":[\"%s\"]}",
             PILOT_BINDING_EARLY, cds_id, kept_id);
    expect_details("after add, add, remove", cds, want);

    expect("cancel", pilot_cds_cancel(cds), PILOT_OK, "");
    expect("find", pilot_session_find_cds(session, cds_id, &found), PILOT_OK, "");
    snprintf(want, sizeof want, "{\"binding\":%d,\"canceled\":true,\"id\":\"%s\",\"pilot_service_ids\":[\"%s\"]}",
             PILOT_BINDING_EARLY, cds_id, kept_id);
    expect_details("cancelled, through another handle", found, want);

    expect("NULL out_json", pilot_cds_details(cds, NULL), PILOT_ERR_INVALID_ARGUMENT,
           "out_json is NULL; pass the address of a variable to receive the result");
    expect("NULL handle", pilot_cds_details(NULL, &cds_id), PILOT_ERR_INVALID_ARGUMENT, "pilot_cds handle is NULL");

    pilot_string_free(cds_id);
    pilot_string_free(kept_id);
    pilot_cds_release(found);
    pilot_cds_release(cds);
    pilot_pcs_release(kept);
    pilot_pcs_release(removed);
    expect("close", pilot_session_close(session), PILOT_OK, "");
    printf("%d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
