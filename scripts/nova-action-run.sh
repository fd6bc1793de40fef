#!/usr/bin/env bash
# The run step of the nova GitHub Action (action.yml): one nova run that writes the workflow
# annotations (stdout, --format github), the SARIF file (--report-file sarif=...) and the job
# summary (--report-file markdown=..., appended to $GITHUB_STEP_SUMMARY). It records nova's exit
# code in $GITHUB_OUTPUT (`exit-code`, and `sarif` when the file was written) and exits 0: the
# action fails the job by that code in its last step, after the SARIF upload.
#
# Settings (environment): NOVA_ARGS (the action's `args`), NOVA_SARIF (path, empty for none),
# NOVA_SUMMARY (`true` / `false`), NOVA_BIN (default: nova on PATH).
set -uo pipefail

nova="${NOVA_BIN:-nova}"
read -r -a args <<< "${NOVA_ARGS:-check}"
# The default args end in `--changed-since ${{ github.event.pull_request.base.sha }}`, which is
# empty outside a pull request: a push then checks everything.
if [ "${#args[@]}" -gt 0 ] && [ "${args[${#args[@]} - 1]}" = "--changed-since" ]; then
    unset 'args[${#args[@]}-1]'
fi

report=(--format github)
if [ -n "${NOVA_SARIF:-}" ]; then
    report+=(--report-file "sarif=${NOVA_SARIF}")
fi
summary=""
case "${NOVA_SUMMARY:-true}" in
    true | True | TRUE | 1 | yes)
        if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
            summary="$(mktemp)"
            report+=(--report-file "markdown=${summary}")
        fi
        ;;
esac

"$nova" "${args[@]}" "${report[@]}"
code=$?

if [ -n "$summary" ]; then
    if [ -s "$summary" ]; then cat "$summary" >> "$GITHUB_STEP_SUMMARY"; fi
    rm -f "$summary"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "exit-code=$code" >> "$GITHUB_OUTPUT"
    if [ -n "${NOVA_SARIF:-}" ] && [ -f "${NOVA_SARIF}" ]; then
        echo "sarif=${NOVA_SARIF}" >> "$GITHUB_OUTPUT"
    fi
fi
echo "nova exited with $code" >&2
exit 0
