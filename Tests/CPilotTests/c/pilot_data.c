/* Pilot-Data through the C ABI: a pilot data in a directory given as
 * argv[1], a data unit of one file, its listing, an export, a replica, a
 * unit that reads it through input_data, and the errors of bad calls. */
#include <stdlib.h>

#include "checks.h"

static void write_file(const char *path, const char *text) {
    FILE *file = fopen(path, "w");
    if (file) {
        fputs(text, file);
        fclose(file);
    }
}

static char *read_file(const char *path) {
    static char buffer[256];
    FILE *file = fopen(path, "r");
    buffer[0] = 0;
    if (file) {
        size_t count = fread(buffer, 1, sizeof buffer - 1, file);
        buffer[count] = 0;
        fclose(file);
    }
    return buffer;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    char path[1024], json[4096], *text = NULL;
    int state = 0;
    pilot_session *session = NULL;
    pilot_pds *pds = NULL;
    pilot_data *first = NULL, *second = NULL;
    pilot_du *du = NULL;
    expect_status("open", pilot_session_open(NULL, &session), PILOT_OK, "");
    expect_status("pds", pilot_pds_create(session, &pds), PILOT_OK, "");
    snprintf(path, sizeof path, "%s/input.txt", argv[1]);
    write_file(path, "data through C\n");
    snprintf(json, sizeof json, "{\"service_url\": \"file://%s/first\"}", argv[1]);
    expect_status("first pilot data", pilot_pds_create_pilot_data(pds, json, &first), PILOT_OK, "");
    snprintf(json, sizeof json, "{\"service_url\": \"%s/second\"}", argv[1]);
    expect_status("second pilot data", pilot_pds_create_pilot_data(pds, json, &second), PILOT_OK, "");
    snprintf(json, sizeof json, "{\"file_urls\": [\"%s/input.txt\"]}", argv[1]);
    expect_status("submit", pilot_data_submit(first, json, &du), PILOT_OK, "");
    expect_status("wait", pilot_du_wait(du, 60, &state), PILOT_OK, "");
    expect_text("state", pilot_state_name(state), "Running");
    expect_status("list", pilot_du_list(du, &text), PILOT_OK, "");
    expect_text("names", text, "[\"input.txt\"]");
    pilot_string_free(text);
    expect_status("replicate", pilot_data_replicate(second, du), PILOT_OK, "");
    expect_status("wait for the replica", pilot_du_wait(du, 60, &state), PILOT_OK, "");
    snprintf(path, sizeof path, "%s/second/", argv[1]);
    char *id = NULL;
    pilot_du_id(du, &id);
    strncat(path, id, sizeof path - strlen(path) - 20);
    strcat(path, "/input.txt");
    expect_text("replica", read_file(path), "data through C\n");
    snprintf(path, sizeof path, "%s/exported", argv[1]);
    expect_status("export", pilot_du_export(du, path), PILOT_OK, "");
    strcat(path, "/input.txt");
    expect_text("exported", read_file(path), "data through C\n");

    pilot_pcs *pcs = NULL;
    pilot_compute *pilot = NULL;
    pilot_unit *unit = NULL;
    pilot_cds *cds = NULL;
    expect_status("pcs", pilot_pcs_create(session, &pcs), PILOT_OK, "");
    snprintf(json, sizeof json, "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 1, \"working_directory\": \"%s/agent\"}", argv[1]);
    expect_status("pilot", pilot_pcs_create_pilot(pcs, json, &pilot), PILOT_OK, "");
    expect_status("cds", pilot_cds_create(session, PILOT_BINDING_LATE, &cds), PILOT_OK, "");
    expect_status("add pcs", pilot_cds_add_pcs(cds, pcs), PILOT_OK, "");
    expect_status("add pds", pilot_cds_add_pds(cds, pds), PILOT_OK, "");
    snprintf(json, sizeof json, "{\"executable\": \"/bin/cat\", \"arguments\": [\"input.txt\"], \"input_data\": [\"%s\"]}", id);
    expect_status("unit", pilot_cds_submit(cds, json, &unit), PILOT_OK, "");
    expect_status("unit wait", pilot_unit_wait(unit, 60, &state), PILOT_OK, "");
    expect_text("unit state", pilot_state_name(state), "Done");
    expect_status("details", pilot_unit_details(unit, &text), PILOT_OK, "");
    const char *key = "\"working_directory\":\"";
    char *found = strstr(text, key);
    if (found) {
        found += strlen(key);
        char *end = strchr(found, '"');
        if (end) *end = 0;
        snprintf(path, sizeof path, "%s/stdout", found);
    }
    pilot_string_free(text);
    expect_text("unit read the data", read_file(path), "data through C\n");

    expect_status("bad urls", pilot_du_add_files(du, "{}"), PILOT_ERR_INVALID_ARGUMENT, "urls_json must be a JSON array of strings");
    expect_status("relative source", pilot_du_add_files(du, "[\"x.txt\"]"), PILOT_ERR_INVALID_ARGUMENT,
                  "add_files item 0 'x.txt' is relative; this end must be absolute (the coordinator may run in another "
                  "directory or on another host): write /absolute/path, file:///absolute/path or "
                  "ssh://[user@]host[:port]/absolute/path");
    expect_status("no service url", pilot_pds_create_pilot_data(pds, "{}", &first), PILOT_ERR_INVALID_ARGUMENT,
                  "pilot data description needs 'service_url': where the data lives, e.g. \"file:///scratch/data\" "
                  "or \"ssh://host/scratch/data\"");
    expect_status("unknown du", pilot_session_find_du(session, "du-00000000-0000-4000-8000-000000000000", &du),
                  PILOT_ERR_NOT_FOUND, "no object 'du-00000000-0000-4000-8000-000000000000' in this session");
    expect_status("cancel", pilot_du_cancel(du), PILOT_OK, "");
    pilot_string_free(id);
    pilot_du_release(du);
    pilot_data_release(first);
    pilot_data_release(second);
    pilot_pds_release(pds);
    pilot_session_close(session);
    return checks_report();
}
