// libyaml (Debian's libyaml-dev): the YAML parser pilotctl reads unit files with.
#include <yaml.h>
