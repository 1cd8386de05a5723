/*
 * pilot.h - the C interface of libpilot, a pilot-job framework.
 *
 * A *pilot* is one allocation (a process on this machine, a process on an
 * ssh host, or a batch job of SLURM, Grid Engine or PBS) whose agent runs
 * many *compute units*. A session holds PilotComputeServices
 * (groups of pilots) and ComputeDataServices (queues of units that the
 * pilots of the services added to them run).
 *
 * Conventions (as in SQLite and libgit2):
 *  - Every function returns a status: PILOT_OK (0) or a negative
 *    pilot_status. On failure, pilot_last_error() describes what was wrong
 *    and what to do; results go to out-parameters, which are left untouched.
 *  - Handles are opaque. Each handle a function returns must be given back
 *    with its *_release function (pilot_session_close for sessions).
 *    Passing an unknown or released handle returns PILOT_ERR_NOT_FOUND;
 *    it never crashes. Releasing NULL is a no-op.
 *  - Strings returned through char ** are the caller's; free them with
 *    pilot_string_free.
 *  - Descriptions are JSON objects with the keys of the BigJob contract:
 *    pilots: "service_url", "number_of_processes", "working_directory", ...
 *    units: "executable", "arguments", "environment", "output", ...
 *  - Every function is thread-safe. Callbacks run on one library thread,
 *    in order per object, with no library lock held: they may call any
 *    function of this header.
 *  - Timeouts are in seconds; a negative timeout waits without limit.
 *  - Like SwiftNIO, which it uses, the library sets SIGPIPE to ignored in
 *    the host process (a dead agent's socket then gives EPIPE, not a
 *    signal). Units start with every signal at its default and unblocked.
 */
#ifndef PILOT_H
#define PILOT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version -------------------------------------------------------------
 * The version of this header, the one source of the version of the library,
 * the Swift API and the Python package. pilot_version() gives the version
 * of the library actually loaded: compare it with PILOT_VERSION to detect a
 * header and a library that do not belong together. */
#define PILOT_VERSION_MAJOR 0
#define PILOT_VERSION_MINOR 1
#define PILOT_VERSION_PATCH 0
#define PILOT_VERSION "0.1.0" /* MAJOR.MINOR.PATCH */

/* ---- Status codes, states, kinds ----------------------------------------
 * These numbers are the one encoding of each enum: every call uses them
 * (out-parameters, masks, JSON), and the library and the Python package
 * read them from this header. */

typedef enum pilot_status {
    PILOT_OK = 0,
    PILOT_ERR_INVALID_ARGUMENT = -1, /* malformed argument or description */
    PILOT_ERR_INVALID_STATE = -2,    /* the object's state forbids the call */
    PILOT_ERR_NOT_FOUND = -3,        /* unknown handle, id or subscription */
    PILOT_ERR_TIMEOUT = -4,          /* a wait ran out of time */
    PILOT_ERR_DENIED = -5,           /* not allowed */
    PILOT_ERR_BACKEND = -6,          /* the resource manager or OS refused */
    PILOT_ERR_INTERNAL = -7,         /* a fault inside libpilot */
    PILOT_ERR_UNSUPPORTED = -8,      /* not available in this build */
    PILOT_ERR_INTERRUPTED = -9       /* the caller's progress function stopped the wait */
} pilot_status;

typedef enum pilot_state {
    PILOT_STATE_UNKNOWN = 0,
    PILOT_STATE_NEW = 1,      /* unit accepted, not bound to a pilot yet */
    PILOT_STATE_PENDING = 2,  /* unit bound, waiting for slots; pilot queued */
    PILOT_STATE_STAGING = 3,  /* unit input being staged */
    PILOT_STATE_RUNNING = 4,
    PILOT_STATE_DONE = 5,     /* final: exit code 0 (pilots: ended normally) */
    PILOT_STATE_CANCELED = 6, /* final */
    PILOT_STATE_FAILED = 7    /* final: the details' "reason" says why */
} pilot_state;

typedef enum pilot_object_kind {
    PILOT_OBJECT_PILOT = 1,
    PILOT_OBJECT_UNIT = 2
} pilot_object_kind;

typedef enum pilot_job_state { /* DRMAA2's job states */
    PILOT_JOB_UNDETERMINED = 0,
    PILOT_JOB_QUEUED = 1,
    PILOT_JOB_QUEUED_HELD = 2,
    PILOT_JOB_RUNNING = 3,
    PILOT_JOB_SUSPENDED = 4,
    PILOT_JOB_REQUEUED = 5,
    PILOT_JOB_REQUEUED_HELD = 6,
    PILOT_JOB_DONE = 7,       /* final: exit status 0 */
    PILOT_JOB_FAILED = 8      /* final: anything else */
} pilot_job_state;

typedef enum pilot_job_action {
    PILOT_JOB_TERMINATE = 0,
    PILOT_JOB_SUSPEND = 1,
    PILOT_JOB_RESUME = 2,
    PILOT_JOB_HOLD = 3,
    PILOT_JOB_RELEASE = 4
} pilot_job_action;

typedef enum pilot_binding {
    PILOT_BINDING_LATE = 0,  /* a unit goes to whichever pilot has room first */
    PILOT_BINDING_EARLY = 1  /* placed at submission, honouring affinity labels */
} pilot_binding;

/* ---- Handles ------------------------------------------------------------ */

typedef struct pilot_session pilot_session; /* a coordination session */
typedef struct pilot_pcs pilot_pcs;         /* a PilotComputeService */
typedef struct pilot_compute pilot_compute; /* a pilot */
typedef struct pilot_cds pilot_cds;         /* a ComputeDataService */
typedef struct pilot_unit pilot_unit;       /* a compute unit */
typedef struct pilot_job_service pilot_job_service; /* a resource manager */
typedef struct pilot_pds pilot_pds;         /* a PilotDataService */
typedef struct pilot_data pilot_data;       /* a pilot data: a storage place */
typedef struct pilot_du pilot_du;           /* a data unit: a named set of files */

/*
 * A state change. `id` and `reason` (NULL unless the state is a failure,
 * cancellation or end) are valid only during the call. `previous_state`
 * is PILOT_STATE_UNKNOWN for an object's first event.
 */
typedef void (*pilot_event_fn)(void *user_data, int kind, const char *id,
                               int state, int previous_state, const char *reason);

/* ---- Library ------------------------------------------------------------ */

/* The library's version, PILOT_VERSION of the header it was built with
 * ("0.1.0"). Static storage. */
const char *pilot_version(void);

/* The last error message of the calling thread ("" if none). Valid until
 * the thread's next call into the library. */
const char *pilot_last_error(void);

/* The contract's name of a state ("Running", "Done", ...); "Unknown" for
 * values outside pilot_state. Static storage. */
const char *pilot_state_name(int state);

/* What a status means, in the words of its comment above ("success", "a
 * wait ran out of time", ...), for messages; "unknown status" for values
 * outside pilot_status. Static storage. pilot_last_error() says what went
 * wrong in a particular call. */
const char *pilot_status_name(int status);

/* What this build supports, as a JSON object: "pilot_schemes" (the schemes
 * a pilot's "service_url" may use: "fork", "ssh", "slurm", ...),
 * "job_schemes" (those pilot_job_service_open accepts) and "features"
 * ("serve", "journal", "mpi", "job-arrays", "early-binding", "affinity",
 * "wall-time", "restartable"). */
int pilot_capabilities(char **out_json);

/* Frees a string returned through a char ** parameter. NULL is a no-op. */
void pilot_string_free(char *string);

/* ---- Sessions ----------------------------------------------------------- */

/* Opens a session. `options_json` may be NULL or an object with
 * "session_directory", "heartbeat_interval", "heartbeat_timeout" (seconds)
 * and "coordination_url": "embedded" (the default: a coordinator inside this
 * process) or the pilot+unix:// URL printed by `pilotctl serve` (a session
 * shared with other processes of this user). The environment variable
 * PILOT_COORDINATION_URL overrides "coordination_url". */
int pilot_session_open(const char *options_json, pilot_session **out_session);

/* Embedded: cancels every pilot of the session (nothing is left running)
 * and stops the coordinator. Served: disconnects; pilots and units go on
 * and other processes can reconnect to them. Either way the handle is
 * released; other handles of the session stay valid until released. */
int pilot_session_close(pilot_session *session);

int pilot_session_id(pilot_session *session, char **out_id);

/* The coordination URL other processes reconnect with; *out_url is NULL
 * for an embedded session. */
int pilot_session_coordination_url(pilot_session *session, char **out_url);

/* *out_connected is 1 while the session reaches its coordinator, 0 once
 * the link to a served one is lost (its calls then fail with
 * PILOT_ERR_BACKEND); open a new session on the same URL to reconnect.
 * An embedded session is always connected. */
int pilot_session_connected(pilot_session *session, int *out_connected);

/* Calls `fn` for every later state change of every pilot and unit. */
int pilot_session_subscribe(pilot_session *session, pilot_event_fn fn, void *user_data,
                            uint64_t *out_subscription);

/* Ends a subscription. Called off the callback thread, it returns once the
 * callback cannot run any more (user_data may then be freed). */
int pilot_session_unsubscribe(pilot_session *session, uint64_t subscription);

/* Handles for objects known by id ("bj-...", "cu-...", "pcs-...", "cds-..."). */
int pilot_session_find_pilot(pilot_session *session, const char *pilot_id, pilot_compute **out_pilot);
int pilot_session_find_unit(pilot_session *session, const char *unit_id, pilot_unit **out_unit);
int pilot_session_find_pcs(pilot_session *session, const char *pcs_id, pilot_pcs **out_pcs);
int pilot_session_find_cds(pilot_session *session, const char *cds_id, pilot_cds **out_cds);

/* ---- PilotComputeServices ----------------------------------------------- */

int pilot_pcs_create(pilot_session *session, pilot_pcs **out_pcs);
int pilot_pcs_id(pilot_pcs *pcs, char **out_id);

/* Validates the description and starts the pilot (state Pending until its
 * agent links, then Running). */
int pilot_pcs_create_pilot(pilot_pcs *pcs, const char *description_json, pilot_compute **out_pilot);

/* A JSON array of the ids of the service's pilots. */
int pilot_pcs_list_pilots(pilot_pcs *pcs, char **out_ids_json);

/* Cancels every pilot of the service; returns when all are final. */
int pilot_pcs_cancel(pilot_pcs *pcs);
int pilot_pcs_release(pilot_pcs *pcs);

/* ---- Pilots ------------------------------------------------------------- */

int pilot_compute_id(pilot_compute *pilot, char **out_id);
int pilot_compute_state(pilot_compute *pilot, int *out_state);

/* A JSON object: id, state, reason, service_id, service_url, sandbox,
 * slots, free_slots, open_units, native_id, host, created, started,
 * finished, last_contact, description. Keys with no value yet are absent. */
int pilot_compute_details(pilot_compute *pilot, char **out_json);

/* Submits a unit straight to this pilot (early binding). */
int pilot_compute_submit(pilot_compute *pilot, const char *unit_json, pilot_unit **out_unit);

/* Waits until the pilot has left Pending. */
int pilot_compute_wait_started(pilot_compute *pilot, double timeout, int *out_state);

/* Waits until every unit of the pilot is final, or the pilot is. */
int pilot_compute_wait(pilot_compute *pilot, double timeout, int *out_state);

/* Cancels the pilot and its units; returns when nothing of it runs. */
int pilot_compute_cancel(pilot_compute *pilot);

/* A JSON array of the ids of the units submitted or bound to the pilot. */
int pilot_compute_list_units(pilot_compute *pilot, char **out_ids_json);
int pilot_compute_release(pilot_compute *pilot);

/* ---- ComputeDataServices ------------------------------------------------ */

/* `binding` is a pilot_binding. */
int pilot_cds_create(pilot_session *session, int binding, pilot_cds **out_cds);
int pilot_cds_id(pilot_cds *cds, char **out_id);

/* The pilots of `pcs`, present and future, run this service's units. */
int pilot_cds_add_pcs(pilot_cds *cds, pilot_pcs *pcs);
int pilot_cds_remove_pcs(pilot_cds *cds, pilot_pcs *pcs);

int pilot_cds_submit(pilot_cds *cds, const char *unit_json, pilot_unit **out_unit);

/* Submits a JSON array of unit descriptions. All are validated first: if
 * one is bad, none is submitted and the error names its index. On success
 * `out_ids_json` is a JSON array of the new unit ids, in order. */
int pilot_cds_submit_many(pilot_cds *cds, const char *units_json, char **out_ids_json);

/* Waits until every unit of the service is final. PILOT_ERR_INVALID_STATE
 * when queued units are left with no live pilot to run them. A wait of a
 * second or more shows its progress on stderr as PILOT_PROGRESS_AUTO
 * describes (pilot_cds_wait_progress chooses). */
int pilot_cds_wait(pilot_cds *cds, double timeout);

/* How far the units of a wait have come. */
typedef struct pilot_progress {
    int64_t total;    /* units waited for */
    int64_t done;
    int64_t failed;
    int64_t canceled;
    int64_t running;  /* running or staging files */
    int64_t queued;   /* not started yet */
    double elapsed;   /* seconds since the wait began */
    double rate;      /* units final per second since the wait began */
    double eta;       /* seconds until all are final at that rate; -1 when unknown */
} pilot_progress;

/* Called on the waiting thread during a wait; return 0 to go on, anything
 * else to stop the wait (it returns PILOT_ERR_INTERRUPTED). */
typedef int (*pilot_progress_fn)(const pilot_progress *progress, void *context);

/* What stderr shows during a wait. */
typedef enum pilot_progress_display {
    PILOT_PROGRESS_NONE = 0, /* nothing */
    PILOT_PROGRESS_AUTO = 1  /* on a terminal an updating line, then a summary; otherwise
                                the summary alone; nothing with PILOT_PROGRESS=0 */
} pilot_progress_display;

/* pilot_cds_wait with progress shown as `display` says, and given to `fn`
 * (may be NULL) every `interval` seconds (at most 0.5) and once at the end. */
int pilot_cds_wait_progress(pilot_cds *cds, double timeout, int display, double interval,
                            pilot_progress_fn fn, void *context);

/* Cancels every unit; the service takes no more. Returns once the units
 * are final. */
int pilot_cds_cancel(pilot_cds *cds);
int pilot_cds_list_units(pilot_cds *cds, char **out_ids_json);

/* A JSON object, as the coordinator records the service (so every process
 * of a served session sees the same): id, binding (a pilot_binding),
 * pilot_service_ids (the PCSs added and not removed, in order), canceled
 * (true once pilot_cds_cancel ran). */
int pilot_cds_details(pilot_cds *cds, char **out_json);
int pilot_cds_release(pilot_cds *cds);

/* ---- Compute units ------------------------------------------------------ */

int pilot_unit_id(pilot_unit *unit, char **out_id);
int pilot_unit_state(pilot_unit *unit, int *out_state);

/* A JSON object: id, state, reason, pilot_id, service_id, exit_code,
 * signal, pid, host, working_directory, submitted, bound, started,
 * finished (seconds since 1970), staging_input_seconds,
 * staging_output_seconds, description. Keys with no value yet are
 * absent. */
int pilot_unit_details(pilot_unit *unit, char **out_json);

/* Waits until the unit is final; `out_state` (may be NULL) gets the state. */
int pilot_unit_wait(pilot_unit *unit, double timeout, int *out_state);

/* Cancels the unit; a running unit's process group is killed. Returns once
 * the unit is final. */
int pilot_unit_cancel(pilot_unit *unit);
int pilot_unit_release(pilot_unit *unit);

/* ---- Pilot-Data --------------------------------------------------------- *
 * A pilot data is a directory on this host ("file:///path") or another
 * ("ssh://[user@]host[:port]/path"); a data unit is a named set of files
 * with replicas on pilot data, at <pilot data path>/du-<uuid>/. Files move
 * as verified tar streams over one reused ssh connection per host and are
 * renamed into place only when whole. Units name data units in
 * "input_data" (ids or URLs: their files are linked or copied into the
 * unit's working directory before it starts) and "output_data"
 * ([{"du-...": ["*.out"]}]: matching files move into the data unit after a
 * successful run). Details are JSON objects: id, state, reason, url,
 * service_id, pilot_data, data_units, files, description. */

int pilot_pds_create(pilot_session *session, pilot_pds **out_pds);
int pilot_session_find_pds(pilot_session *session, const char *pds_id, pilot_pds **out_pds);
int pilot_pds_id(pilot_pds *pds, char **out_id);

/* `description_json`: {"service_url" (required), "size" (MB),
 * "affinity_datacenter_label", "affinity_machine_label"}. The directory is
 * made now: a place that cannot be used is an error here. */
int pilot_pds_create_pilot_data(pilot_pds *pds, const char *description_json, pilot_data **out_pilot_data);
int pilot_pds_details(pilot_pds *pds, char **out_json);
int pilot_pds_cancel(pilot_pds *pds);
int pilot_pds_release(pilot_pds *pds);

int pilot_session_find_pilot_data(pilot_session *session, const char *pilot_data_id, pilot_data **out_pilot_data);
int pilot_data_id(pilot_data *pilot_data, char **out_id);

/* `du_json`: {"file_urls": [paths or file:// and ssh:// URLs], affinity
 * labels}. Returns at once; the data unit is Pending until its files are
 * in (pilot_du_wait), then Running, or Failed with the reason. */
int pilot_data_submit(pilot_data *pilot_data, const char *du_json, pilot_du **out_du);

/* Copies a Running data unit here as another replica, in the background. */
int pilot_data_replicate(pilot_data *pilot_data, pilot_du *du);
int pilot_data_details(pilot_data *pilot_data, char **out_json);
int pilot_data_cancel(pilot_data *pilot_data);
int pilot_data_release(pilot_data *pilot_data);

/* Data units submitted to the service go to the pilot data of the PDSs
 * added to it: one whose affinity labels match, else the least used. */
int pilot_cds_add_pds(pilot_cds *cds, pilot_pds *pds);
int pilot_cds_remove_pds(pilot_cds *cds, pilot_pds *pds);
int pilot_cds_submit_data(pilot_cds *cds, const char *du_json, pilot_du **out_du);
int pilot_cds_list_pds(pilot_cds *cds, char **out_ids_json);
int pilot_cds_list_data_units(pilot_cds *cds, char **out_ids_json);

int pilot_session_find_du(pilot_session *session, const char *du_id, pilot_du **out_du);
int pilot_du_id(pilot_du *du, char **out_id);
int pilot_du_details(pilot_du *du, char **out_json);

/* Waits until the data unit is not Pending; `out_state` (may be NULL) gets the state. */
int pilot_du_wait(pilot_du *du, double timeout, int *out_state);

/* `urls_json`: a JSON array of paths or URLs copied into every replica;
 * returns once they are in. */
int pilot_du_add_files(pilot_du *du, const char *urls_json);

/* `names_json`: a JSON array of file names removed from every replica. */
int pilot_du_remove_files(pilot_du *du, const char *names_json);

/* `out_names_json`: the names in its first replica now. */
int pilot_du_list(pilot_du *du, char **out_names_json);

/* Copies its files into `directory` on this host (made if missing). */
int pilot_du_export(pilot_du *du, const char *directory);

/* Cancels the data unit; its files are removed from every replica. */
int pilot_du_cancel(pilot_du *du);
int pilot_du_release(pilot_du *du);

/* ---- Jobs: the job layer pilots run on, usable directly ---------------- */

/* A resource manager by URL: "fork://localhost" (local processes; jobs are
 * known to the handle that submitted them), "ssh://[user@]host[:port]"
 * (process groups on that host), "slurm://localhost", "sge://localhost". Every call may run the manager's commands and block. */
int pilot_job_service_open(const char *url, pilot_job_service **out_service);
int pilot_job_service_release(pilot_job_service *service);

/* `job_json`: {"executable" (required), "arguments", "environment",
 * "working_directory", "output", "error", "number_of_processes", "nodes",
 * "wall_time" (minutes), "queue", "project", "name"}; unknown keys are an
 * error. *out_id gets the manager's job id. */
int pilot_job_submit(pilot_job_service *service, const char *job_json, char **out_id);

/* An array job: one task per index begin..end by step, at most
 * `max_parallel` at once (0: no limit); each task sees its index in
 * PILOT_TASK_INDEX. *out_ids_json gets a JSON list of task ids. */
int pilot_job_submit_array(pilot_job_service *service, const char *job_json, int begin, int end,
                           int step, int max_parallel, char **out_ids_json);

/* The job's pilot_job_state, and (if out_native is not NULL) the manager's
 * own word for it. */
int pilot_job_status(pilot_job_service *service, const char *id, int *out_state, char **out_native);

/* A JSON object: id, state (a pilot_job_state), native, reason,
 * cannot_run (true when the manager says the job will never start; reason
 * says why), exit_status, terminating_signal, submission_time,
 * dispatch_time, finish_time, hosts, slots, queue. */
int pilot_job_info(pilot_job_service *service, const char *id, char **out_json);

/* `action` is a pilot_job_action; one the manager cannot take (or not in
 * the job's state) is an error, never ignored. */
int pilot_job_control(pilot_job_service *service, const char *id, int action);

/* Waits until every job of the JSON list `ids_json` is in a state of
 * `states_mask` (bits 1 << pilot_job_state; 0: done or failed), or
 * PILOT_ERR_TIMEOUT after `timeout` seconds (negative: no limit).
 * *out_states_json (may be NULL) gets {"id": pilot_job_state, ...}. */
int pilot_job_wait(pilot_job_service *service, const char *ids_json, unsigned int states_mask,
                   double timeout, char **out_states_json);

/* Forgets an ended job (PILOT_ERR_UNSUPPORTED where the manager forgets
 * ended jobs by itself). */
int pilot_job_delete(pilot_job_service *service, const char *id);
int pilot_job_list(pilot_job_service *service, char **out_ids_json);
int pilot_job_queues(pilot_job_service *service, char **out_json);

/* {"total_slots", "free_slots", "running", "queued"}. */
int pilot_job_resource_status(pilot_job_service *service, char **out_json);

/* A JSON list of the job's stdout/stderr paths; pilot_job_peek reads
 * `size` bytes of one from `offset` (negative: counted from the end). */
int pilot_job_output_files(pilot_job_service *service, const char *id, char **out_json);
int pilot_job_peek(pilot_job_service *service, const char *path, long long offset, long long size,
                   char **out_text);

#ifdef __cplusplus
}
#endif

#endif /* PILOT_H */
