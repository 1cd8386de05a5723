/* pilot_cds_details: what the coordinator records of a ComputeDataService
 * (binding, the PCSs added, cancelled), the same through every handle. */
#include <stdio.h>
#include <string.h>

#include "checks.h"

/* Checks that pilot_cds_details of `cds` is `want`. */
static void expect_details(const char *what, pilot_cds *cds, const char *want) {
    char *details = NULL;
    expect_status(what, pilot_cds_details(cds, &details), PILOT_OK, "");
    expect_text(what, details, want);
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
    expect_status("open", pilot_session_open(options, &session), PILOT_OK, "");
    expect_status("pcs", pilot_pcs_create(session, &kept), PILOT_OK, "");
    expect_status("pcs", pilot_pcs_create(session, &removed), PILOT_OK, "");
    expect_status("cds", pilot_cds_create(session, PILOT_BINDING_EARLY, &cds), PILOT_OK, "");
    expect_status("cds id", pilot_cds_id(cds, &cds_id), PILOT_OK, "");
    expect_status("pcs id", pilot_pcs_id(kept, &kept_id), PILOT_OK, "");

    snprintf(want, sizeof want, "{\"binding\":%d,\"canceled\":false,\"id\":\"%s\",\"pilot_service_ids\":[]}", PILOT_BINDING_EARLY, cds_id);
    expect_details("a new service", cds, want);
    expect_status("add", pilot_cds_add_pcs(cds, removed), PILOT_OK, "");
    expect_status("add", pilot_cds_add_pcs(cds, kept), PILOT_OK, "");
    expect_status("remove", pilot_cds_remove_pcs(cds, removed), PILOT_OK, "");
    snprintf(want, sizeof want, "{\"binding\":%d,\"canceled\":false,\"id\":\"%s\",\"pilot_service_ids\":[\"%s\"]}",
             PILOT_BINDING_EARLY, cds_id, kept_id);
    expect_details("after add, add, remove", cds, want);

    expect_status("cancel", pilot_cds_cancel(cds), PILOT_OK, "");
    expect_status("find", pilot_session_find_cds(session, cds_id, &found), PILOT_OK, "");
    snprintf(want, sizeof want, "{\"binding\":%d,\"canceled\":true,\"id\":\"%s\",\"pilot_service_ids\":[\"%s\"]}",
             PILOT_BINDING_EARLY, cds_id, kept_id);
    expect_details("cancelled, through another handle", found, want);

    expect_status("NULL out_json", pilot_cds_details(cds, NULL), PILOT_ERR_INVALID_ARGUMENT,
           "out_json is NULL; pass the address of a variable to receive the result");
    expect_status("NULL handle", pilot_cds_details(NULL, &cds_id), PILOT_ERR_INVALID_ARGUMENT, "pilot_cds handle is NULL");

    pilot_string_free(cds_id);
    pilot_string_free(kept_id);
    pilot_cds_release(found);
    pilot_cds_release(cds);
    pilot_pcs_release(kept);
    pilot_pcs_release(removed);
    expect_status("close", pilot_session_close(session), PILOT_OK, "");
    return checks_report();
}
