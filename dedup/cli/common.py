"""What every `dedup` command shares: exit codes, limits on options, the usage failure,
and the scan settings built from options."""

from __future__ import annotations

EXIT_OK = 0
# NumPy seeds its generator with 0 .. 2**32 - 1.
MAX_SEED = 2**32 - 1
# More worker processes than this only queue behind each other: a typo ("--jobs 100000")
# must not fork a machine to a halt.
MAX_JOBS = 256
# Narrower than this, no table of two reports side by side can be read.
MIN_WIDTH = 40

FOLLOW_SYMLINKS_HELP = ("In folders, follow links to files and folders outside the folder too "
                        "[default: only links that stay inside it].")

EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process the signal ended
# Errors listed on stderr before the rest are only counted (all are in --format json).
ERRORS_SHOWN = 20


class UsageFailure(Exception):
    """A mistake in how the command was called; becomes a one-line message and exit 2."""


def scan_config(mode, shingles, num_perm, seed, threshold, containment, jobs, id_field, text_field, encoding,
                follow_symlinks=False, engine="local", ray_address=None):
    from dedup.io.decoding import check_encoding_name  # noqa: PLC0415
    from dedup.io.records import FieldMap  # noqa: PLC0415
    from dedup.minhash import MinHashParams  # noqa: PLC0415
    from dedup.model import CopyRule  # noqa: PLC0415
    from dedup.pipeline import ScanConfig  # noqa: PLC0415
    from dedup.text.shingles import ShingleSpec  # noqa: PLC0415

    try:
        return ScanConfig(
            mode=mode,
            shingles=ShingleSpec.parse(shingles),
            minhash=MinHashParams(num_perm=num_perm, seed=seed),
            rule=CopyRule(threshold=threshold, containment=containment),
            jobs=jobs,
            fields=FieldMap(id_field=id_field, text_field=text_field),
            encoding=check_encoding_name(encoding),
            follow_symlinks=follow_symlinks,
            engine=engine,
            ray_address=ray_address,
        )
    except ValueError as error:
        raise UsageFailure(str(error)) from None


