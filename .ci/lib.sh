# Functions for .ci/run, kept apart so tests/test_tooling.py can call them one by one.

# Print the Debian packages among the arguments that are not installed, one per line.
missing_debian_packages() {
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
      echo "$package"
    fi
  done
}

# Install the Debian packages among the arguments that are missing; skip apt when none is.
install_debian_packages() {
  local missing
  missing=$(missing_debian_packages "$@")
  if [ -z "$missing" ]; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  echo "Installing Debian packages: ${missing//$'\n'/ }"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # shellcheck disable=SC2086  # $missing holds one package name per word
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends $missing
}

# Return pytest's exit status, except that "no tests collected" (5) is a failure:
# a suite that silently runs nothing must not pass.
check_pytest_status() {
  local status=$1
  if [ "$status" -eq 5 ]; then
    echo "error: pytest collected no tests (exit status 5); the suite must not be empty" >&2
    return 1
  fi
  return "$status"
}

# Ralph, the Learning Record Store the xAPI and cmi5 tests run, in a virtualenv of its own (its
# dependencies are not the project's): $COURSEWRIGHT_RALPH_VENV or ~/.cache/coursewright-tests/ralph.
# The tests find it there (tests/lrs/ralph_lrs.py), and fail under CI when it is missing.
install_ralph() {
  local venv="${COURSEWRIGHT_RALPH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/coursewright-tests/ralph}"
  if [ -x "$venv/bin/ralph" ]; then
    return 0
  fi
  echo "Installing Ralph (the test LRS) into $venv"
  python -m venv "$venv"
  if [ ! -x "$venv/bin/python" ]; then
    echo "warning: no virtualenv at $venv; the LRS tests will report Ralph missing" >&2
    return 0
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    'ralph-malph[backend-fs,lrs,cli]==5.1.0' 'requests>=2.31'
}
