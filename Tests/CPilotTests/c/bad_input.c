/* Acceptance 8: bad input through the C ABI returns an error code and a
 * message naming the problem; the process survives every call. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pilot.h"

static int failures = 0;
static int checks = 0;

/* Checks a call's status and that pilot_last_error() starts with `message`. */
static void expect(const char *what, int status, int expected_status, const char *message) {
    checks++;
    const char *error = pilot_last_error();
    if (status != expected_status || strncmp(error, message, strlen(message)) != 0) {
        failures++;
        printf("FAIL %s: got %d \"%s\", want %d \"%s...\"\n", what, status, error, expected_status, message);
    } else {
        printf("ok %s: %d %s\n", what, status, status == PILOT_OK ? "" : error);
    }
}

#define EXPECT(call, status, message) expect(#call, (call), (status), (message))

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    char description[1024];
    pilot_session *session = NULL;
    pilot_pcs *pcs = NULL;
    pilot_compute *pilot = NULL;
    pilot_cds *cds = NULL;
    pilot_unit *unit = NULL;
    char *text = NULL;
    int state = 0;
    uint64_t subscription = 0;

    EXPECT(pilot_session_open(NULL, NULL), PILOT_ERR_INVALID_ARGUMENT, "out_session is NULL");
    EXPECT(pilot_session_open("{not json", &session), PILOT_ERR_INVALID_ARGUMENT, "options_json is not valid JSON");
    EXPECT(pilot_session_open("[1]", &session), PILOT_ERR_INVALID_ARGUMENT, "session options must be a JSON object, got a list");
    EXPECT(pilot_session_open("{\"colour\": 1}", &session), PILOT_ERR_INVALID_ARGUMENT, "session option 'colour' is unknown");
    EXPECT(pilot_session_open("{\"coordination_url\": \"redis://localhost:6379\"}", &session), PILOT_ERR_UNSUPPORTED,
           "coordination_url 'redis://localhost:6379': Redis coordination is not available in this build");
    EXPECT(pilot_session_open("{\"heartbeat_timeout\": -1}", &session), PILOT_ERR_INVALID_ARGUMENT,
           "session option 'heartbeat_timeout' must be a number of seconds");
    EXPECT(pilot_session_open(NULL, &session), PILOT_OK, "");
    EXPECT(pilot_session_connected(NULL, &state), PILOT_ERR_INVALID_ARGUMENT, "pilot_session handle is NULL");
    EXPECT(pilot_session_connected(session, NULL), PILOT_ERR_INVALID_ARGUMENT, "out_connected is NULL");
    EXPECT(pilot_session_connected(session, &state), PILOT_OK, "");
    checks++;
    if (state != 1) {
        failures++;
        printf("FAIL an embedded session is connected: got %d\n", state);
    }

    EXPECT(pilot_pcs_create(NULL, &pcs), PILOT_ERR_INVALID_ARGUMENT, "pilot_session handle is NULL");
    EXPECT(pilot_pcs_create((pilot_session *)(void *)0xdeadbeef, &pcs), PILOT_ERR_NOT_FOUND, "unknown or released pilot_session handle");
    EXPECT(pilot_pcs_create(session, NULL), PILOT_ERR_INVALID_ARGUMENT, "out_pcs is NULL");
    EXPECT(pilot_pcs_create(session, &pcs), PILOT_OK, "");

    EXPECT(pilot_pcs_create_pilot(pcs, NULL, &pilot), PILOT_ERR_INVALID_ARGUMENT, "description_json is NULL");
    EXPECT(pilot_pcs_create_pilot(pcs, "{", &pilot), PILOT_ERR_INVALID_ARGUMENT, "description_json is not valid JSON");
    EXPECT(pilot_pcs_create_pilot(pcs, "\"fork\"", &pilot), PILOT_ERR_INVALID_ARGUMENT,
           "pilot compute description must be a JSON object of keys and values, got a string");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://localhost\", \"number_of_processes\": \"\xff\"}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "description_json is not valid UTF-8");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://localhost\", \"number_of_processes\": -4}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "pilot compute description key 'number_of_processes' must be between 1 and 16777216, got -4");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://localhost\", \"number_of_processes\": \"four\"}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "pilot compute description key 'number_of_processes' must be a whole number, got 'four'");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://localhost\"}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "pilot compute description needs 'number_of_processes'");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"number_of_processes\": 2}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "pilot compute description needs 'service_url'");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"gram://host\", \"number_of_processes\": 1}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "service_url 'gram://host' has the unknown scheme 'gram'; supported: fork://, ssh://, slurm://");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://elsewhere\", \"number_of_processes\": 1}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "service_url 'fork://elsewhere': fork:// runs on this machine only");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"pbs+ssh://login.invalid\", \"number_of_processes\": 1}", &pilot),
           PILOT_ERR_BACKEND, "pbs+ssh://login.invalid: mkdir");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"slurm://login.example.org\", \"number_of_processes\": 1}", &pilot),
           PILOT_ERR_UNSUPPORTED, "service_url 'slurm://login.example.org': slurm:// submits on this machine; for a login host use slurm+ssh://login.example.org");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 1, \"walltime\": 0}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "pilot compute description key 'walltime' must be a positive number, got '0'");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 1, \"launch_method\": \"pbsdsh\"}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "pilot compute description key 'launch_method' must be 'auto', 'srun' or 'ssh', got 'pbsdsh'");
    EXPECT(pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 1, \"working_directory\": \"/proc/no/such\"}", &pilot),
           PILOT_ERR_INVALID_ARGUMENT, "pilot compute description key 'working_directory': cannot create directory /proc/no");
    snprintf(description, sizeof description,
             "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 2, \"working_directory\": \"%s\"}", argv[1]);
    EXPECT(pilot_pcs_create_pilot(pcs, description, &pilot), PILOT_OK, "");
    EXPECT(pilot_compute_wait_started(pilot, NAN, &state), PILOT_ERR_INVALID_ARGUMENT, "timeout is NaN");
    EXPECT(pilot_compute_wait_started(pilot, 30, &state), PILOT_OK, "");

    EXPECT(pilot_compute_submit(pilot, "{\"arguments\": [1]}", &unit), PILOT_ERR_INVALID_ARGUMENT,
           "compute unit description needs 'executable'");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"arguments\": \"a b\"}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'arguments' must be a list, got a string");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"arguments\": [{\"a\": 1}]}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'arguments' item 0 must be a string or number, got an object");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"environment\": {\"A\": [1]}}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'environment' value of 'A' must be a string or number, got a list");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"environment\": [\"NOEQUALS\"]}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'environment' item 0 must be a \"NAME=value\" string, got 'NOEQUALS'");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"number_of_processes\": 0}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'number_of_processes' must be between 1 and 1048576, got 0");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"number_of_processes\": 1e300}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'number_of_processes' must be a whole number");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"output\": \"../escape\"}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'output' '../escape' leaves the unit's working directory");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"spmd_variation\": \"openmp\"}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'spmd_variation' must be 'single' or 'mpi', got 'openmp'");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"shell\": \"yes\"}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'shell' must be true or false, got a string");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"number_of_processes\": 5}", &unit),
           PILOT_ERR_INVALID_ARGUMENT, "compute unit description key 'number_of_processes' asks for 5 slots but the largest pilot available has 2");
    EXPECT(pilot_compute_submit(pilot, "{\"executable\": \"/bin/true\", \"colour\": \"kept as an extra attribute\"}", &unit), PILOT_OK, "");
    EXPECT(pilot_unit_wait(unit, 30, &state), PILOT_OK, "");
    EXPECT(pilot_unit_state(unit, NULL), PILOT_ERR_INVALID_ARGUMENT, "out_state is NULL");
    EXPECT(pilot_unit_release(unit), PILOT_OK, "");
    EXPECT(pilot_unit_release(unit), PILOT_ERR_NOT_FOUND, "unknown or released pilot_unit handle");
    EXPECT(pilot_unit_wait(unit, 1, &state), PILOT_ERR_NOT_FOUND, "unknown or released pilot_unit handle");
    EXPECT(pilot_unit_release(NULL), PILOT_OK, "");
    EXPECT(pilot_compute_release((pilot_compute *)(void *)pcs), PILOT_ERR_NOT_FOUND, "unknown or released pilot_compute handle");
    EXPECT(pilot_compute_state((pilot_compute *)(void *)1, &state), PILOT_ERR_NOT_FOUND, "unknown or released pilot_compute handle");

    EXPECT(pilot_cds_create(session, 7, &cds), PILOT_ERR_INVALID_ARGUMENT, "binding 7 is not a pilot_binding");
    EXPECT(pilot_cds_create(session, PILOT_BINDING_LATE, &cds), PILOT_OK, "");
    EXPECT(pilot_cds_add_pcs(cds, NULL), PILOT_ERR_INVALID_ARGUMENT, "pilot_pcs handle is NULL");
    EXPECT(pilot_cds_submit_many(cds, "{}", &text), PILOT_ERR_INVALID_ARGUMENT, "units_json must be a JSON array");
    EXPECT(pilot_cds_submit_many(cds, "[{\"executable\": \"/bin/true\"}, {}]", &text), PILOT_ERR_INVALID_ARGUMENT,
           "unit 1: compute unit description needs 'executable'");
    EXPECT(pilot_cds_list_units(cds, &text), PILOT_OK, "");
    printf("units after the rejected batch: %s\n", text);
    if (strcmp(text, "[]") != 0) failures++;
    pilot_string_free(text);
    pilot_string_free(NULL);

    EXPECT(pilot_session_subscribe(session, NULL, NULL, &subscription), PILOT_ERR_INVALID_ARGUMENT, "fn is NULL");
    EXPECT(pilot_session_unsubscribe(session, 12345), PILOT_ERR_NOT_FOUND, "no subscription 12345 in this session");
    EXPECT(pilot_session_find_unit(session, "cu-nope", &unit), PILOT_ERR_NOT_FOUND, "no object 'cu-nope' in this session");
    EXPECT(pilot_session_find_pilot(session, NULL, &pilot), PILOT_ERR_INVALID_ARGUMENT, "pilot_id is NULL");
    if (strcmp(pilot_state_name(99), "Unknown") != 0 || strcmp(pilot_state_name(-5), "Unknown") != 0
        || strcmp(pilot_state_name(PILOT_STATE_RUNNING), "Running") != 0) {
        failures++;
        printf("FAIL pilot_state_name\n");
    }

    EXPECT(pilot_session_close(session), PILOT_OK, "");
    EXPECT(pilot_cds_submit(cds, "{\"executable\": \"/bin/true\"}", &unit), PILOT_ERR_INVALID_STATE, "the session is closed");
    EXPECT(pilot_compute_state(pilot, &state), PILOT_OK, "");
    printf("pilot after close: %s\n", pilot_state_name(state));
    if (state != PILOT_STATE_CANCELED) failures++;
    EXPECT(pilot_session_close(session), PILOT_ERR_NOT_FOUND, "unknown or released pilot_session handle");
    EXPECT(pilot_session_close(NULL), PILOT_OK, "");
    EXPECT(pilot_cds_release(cds), PILOT_OK, "");
    EXPECT(pilot_compute_release(pilot), PILOT_OK, "");
    EXPECT(pilot_pcs_release(pcs), PILOT_OK, "");

    /* The job API: bad URLs, descriptions, actions and id lists. */
    pilot_job_service *jobs = NULL;
    char *job_text = NULL;
    EXPECT(pilot_job_service_open("gram://host", &jobs), PILOT_ERR_INVALID_ARGUMENT, "service_url 'gram://host' has the unknown scheme 'gram'");
    EXPECT(pilot_job_service_open("fork://localhost", &jobs), PILOT_OK, "");
    EXPECT(pilot_job_submit(jobs, "{\"executable\": \"/bin/true\", \"slots\": 0}", &job_text), PILOT_ERR_INVALID_ARGUMENT,
           "job description key 'slots' must be");
    EXPECT(pilot_job_control(jobs, "1", 9), PILOT_ERR_INVALID_ARGUMENT, "action 9 is not a pilot_job_action");
    EXPECT(pilot_job_wait(jobs, "{\"a\": 1}", 0, 1.0, &job_text), PILOT_ERR_INVALID_ARGUMENT, "ids_json must be a JSON list of job ids");
    EXPECT(pilot_job_status(jobs, "42", &state, NULL), PILOT_ERR_NOT_FOUND, "fork://localhost: no job 42");
    EXPECT(pilot_job_submit_array(jobs, "{\"executable\": \"/bin/true\"}", 3, 1, 1, 0, &job_text), PILOT_ERR_INVALID_ARGUMENT,
           "job array 3-1:1 is empty or malformed");
    EXPECT(pilot_job_submit_array(jobs, "{\"executable\": \"/bin/true\"}", 0, 2147483647, 1, 0, &job_text),
           PILOT_ERR_INVALID_ARGUMENT, "job array 0-2147483647:1 has 2147483648 tasks, more than the 100000 one submission takes");
    EXPECT(pilot_job_submit_array(jobs, "{\"executable\": \"/bin/true\"}", 2147483646, 2147483647, 1, 0, &job_text),
           PILOT_ERR_INVALID_ARGUMENT, "job array 2147483646-2147483647:1 goes past index 2147483646, the last a batch system can step from");
    EXPECT(pilot_job_submit_array(jobs, "{\"executable\": \"/bin/true\"}", 1, 2, 1, -3, &job_text), PILOT_ERR_INVALID_ARGUMENT,
           "job array max parallel -3 must be at least 1");
    EXPECT(pilot_job_service_release(jobs), PILOT_OK, "");

    printf("%d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
