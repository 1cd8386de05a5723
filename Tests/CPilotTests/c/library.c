/* The library-wide calls: the version (header against library), the texts
 * of the header's codes, the capabilities. Prints one line per check. */
#include <limits.h>
#include <stdio.h>

#include "checks.h"

int main(void) {
    char numbers[64];
    snprintf(numbers, sizeof numbers, "%d.%d.%d", PILOT_VERSION_MAJOR, PILOT_VERSION_MINOR, PILOT_VERSION_PATCH);
    expect_text("PILOT_VERSION is MAJOR.MINOR.PATCH", PILOT_VERSION, numbers);
    expect_text("pilot_version() is the header's PILOT_VERSION", pilot_version(), PILOT_VERSION);
    expect_text("pilot_version() is static", pilot_version() == pilot_version() ? "same" : "different", "same");


    expect_text("status PILOT_OK", pilot_status_name(PILOT_OK), "success");
    expect_text("status PILOT_ERR_INVALID_ARGUMENT", pilot_status_name(PILOT_ERR_INVALID_ARGUMENT), "malformed argument or description");
    expect_text("status PILOT_ERR_INVALID_STATE", pilot_status_name(PILOT_ERR_INVALID_STATE), "the object's state forbids the call");
    expect_text("status PILOT_ERR_NOT_FOUND", pilot_status_name(PILOT_ERR_NOT_FOUND), "unknown handle, id or subscription");
    expect_text("status PILOT_ERR_TIMEOUT", pilot_status_name(PILOT_ERR_TIMEOUT), "a wait ran out of time");
    expect_text("status PILOT_ERR_DENIED", pilot_status_name(PILOT_ERR_DENIED), "not allowed");
    expect_text("status PILOT_ERR_BACKEND", pilot_status_name(PILOT_ERR_BACKEND), "the resource manager or OS refused");
    expect_text("status PILOT_ERR_INTERNAL", pilot_status_name(PILOT_ERR_INTERNAL), "a fault inside libpilot");
    expect_text("status PILOT_ERR_UNSUPPORTED", pilot_status_name(PILOT_ERR_UNSUPPORTED), "not available in this build");
    expect_text("status 1", pilot_status_name(1), "unknown status");
    expect_text("status PILOT_ERR_INTERRUPTED", pilot_status_name(PILOT_ERR_INTERRUPTED), "the caller's progress function stopped the wait");
    expect_text("status -10", pilot_status_name(-10), "unknown status");
    expect_text("status INT_MIN", pilot_status_name(INT_MIN), "unknown status");
    expect_text("status INT_MAX", pilot_status_name(INT_MAX), "unknown status");
    expect_text("pilot_status_name is static", pilot_status_name(-4) == pilot_status_name(-4) ? "same" : "different", "same");

    char *capabilities = NULL;
    expect_status("pilot_capabilities", pilot_capabilities(&capabilities), PILOT_OK, "");
    expect_text("capabilities", capabilities,
                "{\"features\":[\"serve\",\"journal\",\"mpi\",\"job-arrays\",\"early-binding\",\"affinity\",\"wall-time\","
                "\"restartable\",\"staging\",\"pilot-data\"],\"job_schemes\":[\"fork\",\"ssh\",\"slurm\",\"pbs\",\"sge\",\"slurm+ssh\",\"pbs+ssh\","
                "\"sge+ssh\"],\"pilot_schemes\":[\"fork\",\"ssh\",\"slurm\",\"pbs\",\"sge\",\"slurm+ssh\",\"pbs+ssh\","
                "\"sge+ssh\"]}");
    pilot_string_free(capabilities);
    expect_status("pilot_capabilities(NULL)", pilot_capabilities(NULL), PILOT_ERR_INVALID_ARGUMENT,
                  "out_json is NULL; pass the address of a variable to receive the result");

    return checks_report();
}
