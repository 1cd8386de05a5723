/* One /bin/date unit on a fork pilot, from C.
 *
 *   cc -I include examples/date.c -L .build/release -lpilot -Wl,-rpath,$PWD/.build/release -o date && ./date
 */
#include <stdio.h>

#include "pilot.h"

int main(void) {
    pilot_session *session;
    pilot_pcs *pcs;
    pilot_compute *pilot;
    pilot_cds *cds;
    pilot_unit *unit;
    int state = PILOT_STATE_UNKNOWN;
    if (pilot_session_open(NULL, &session) != PILOT_OK
        || pilot_pcs_create(session, &pcs) != PILOT_OK
        || pilot_pcs_create_pilot(pcs, "{\"service_url\": \"fork://localhost\", \"number_of_processes\": 4}", &pilot) != PILOT_OK
        || pilot_cds_create(session, PILOT_BINDING_LATE, &cds) != PILOT_OK
        || pilot_cds_add_pcs(cds, pcs) != PILOT_OK
        || pilot_cds_submit(cds, "{\"executable\": \"/bin/date\"}", &unit) != PILOT_OK
        || pilot_cds_wait(cds, -1) != PILOT_OK            /* negative: no time limit */
        || pilot_unit_state(unit, &state) != PILOT_OK) {
        fprintf(stderr, "pilot: %s\n", pilot_last_error());
        return 1;
    }
    printf("unit %s\n", pilot_state_name(state));
    pilot_unit_release(unit);
    pilot_cds_release(cds);
    pilot_compute_release(pilot);
    pilot_pcs_release(pcs);
    pilot_session_close(session);
    return state == PILOT_STATE_DONE ? 0 : 1;
}
