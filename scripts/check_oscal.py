#!/usr/bin/env python3
"""Load srmap's OSCAL files with compliance-trestle's models, and resolve what they point at.

    scripts/check_oscal.py FILE...

Each FILE is read with the trestle model of its root (system-security-plan, mapping-collection,
profile or catalog): pydantic checks every field and pattern, and the OSCAL version must be one
the models are for (trestle's pre-parse compatibility check runs too), and every validator of
`trestle validate` (duplicate UUIDs, references to roles and parties, ...) must pass. Then:

- an SSP's `import-profile` is resolved with trestle's profile resolver from the SSP's folder
  (OSCAL resolves a relative href against the document that holds it), and every implemented
  requirement's control-id must be a control of the resolved catalog;
- an SSP's FIPS 199 levels must be OSCAL's (`fips-199-low`, `-moderate`, `-high`);
- a mapping collection's relationship, provenance and type words must be OSCAL 1.2's allowed
  values (trestle's models take any token there); its source and target resources are loaded
  as trestle catalogs from its folder, and every map's id-refs and every gap summary's IDs
  must be controls of them.

Prints one line per file and exits 0 when all pass, 1 when one fails, 3 when trestle cannot
be imported (the caller skips then).
"""

import json
import os
import pathlib
import re
import shutil
import sys
import tempfile

try:
    import trestle
    from trestle.core.profile_resolver import ProfileResolver
    import trestle.core.validator_factory as validator_factory
    from trestle.core.oscal_backward_compatibility import check_raw_oscal
    from trestle.oscal import OSCAL_VERSION, OSCAL_VERSION_REGEX
    from trestle.oscal.catalog import Catalog
    from trestle.oscal.mapping import MappingCollection
    from trestle.oscal.profile import Profile
    from trestle.oscal.ssp import SystemSecurityPlan
except ImportError as e:  # pragma: no cover - the test skips on this
    print(f"compliance-trestle is not importable: {e}", file=sys.stderr)
    sys.exit(3)

MODELS = {
    "system-security-plan": SystemSecurityPlan,
    "mapping-collection": MappingCollection,
    "profile": Profile,
    "catalog": Catalog,
}


class Failed(Exception):
    pass


# Allowed values of the OSCAL 1.2 metaschema that trestle's models do not carry (they take any
# token): checked here, so a wrong word fails as a wrong field would.
MAPPING_VALUES = {
    "relationship": {"equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with", "no-relationship"},
    "method": {"human", "automation"},
    "matching-rationale": {"syntactic", "semantic", "functional"},
    "status": {"complete", "not-complete", "draft", "deprecated", "superseded"},
    "item type": {"control", "statement"},
    "resource type": {"catalog", "profile"},
}
FIPS_199 = {"fips-199-low", "fips-199-moderate", "fips-199-high"}


def allowed(what, value):
    value = getattr(value, "value", value)  # an enum member
    value = getattr(value, "root", value)  # a pydantic root model
    if str(value) not in MAPPING_VALUES[what]:
        raise Failed(f"{what} `{value}` is not one of OSCAL's: {', '.join(sorted(MAPPING_VALUES[what]))}")


def control_ids(controls):
    """Every control ID of a catalog's controls, nested ones too."""
    out = set()
    for c in controls or []:
        out.add(c.id)
        out |= control_ids(c.controls)
    return out


def catalog_ids(catalog):
    ids = control_ids(catalog.controls)
    stack = list(catalog.groups or [])
    while stack:
        g = stack.pop()
        ids |= control_ids(g.controls)
        stack.extend(g.groups or [])
    return ids


def local(href):
    return "://" not in href and not href.startswith("#")


def check_ssp(path, ssp):
    href = ssp.import_profile.href
    if not local(href):
        return f"imports {href} (not resolved: not a local file)"
    resolved = ProfileResolver.get_resolved_profile_catalog(WORKSPACE, href)
    ids = catalog_ids(resolved)
    chars = ssp.system_characteristics
    levels = [chars.security_sensitivity_level]
    if chars.security_impact_level:
        i = chars.security_impact_level
        levels += [i.security_objective_confidentiality, i.security_objective_integrity, i.security_objective_availability]
    for t in chars.system_information.information_types:
        for impact in (t.confidentiality_impact, t.integrity_impact, t.availability_impact):
            levels.append(impact.base.root if impact else None)
    bad = [lv for lv in levels if lv not in FIPS_199]
    if bad:
        raise Failed(f"FIPS 199 levels must be one of {', '.join(sorted(FIPS_199))}: got {bad}")
    reqs = ssp.control_implementation.implemented_requirements
    missing = sorted({r.control_id for r in reqs} - ids)
    if missing:
        raise Failed(
            f"{len(missing)} implemented requirements name controls the profile does not select: "
            + ", ".join(missing[:10])
        )
    return f"{len(reqs)} requirements, all in the {len(ids)} controls of {href} resolved"


def check_mapping(path, coll):
    mappings = coll.mappings if isinstance(coll.mappings, list) else [coll.mappings]
    prov = coll.provenance
    allowed("method", prov.method)
    allowed("matching-rationale", prov.matching_rationale)
    allowed("status", prov.status)
    pairs = 0
    for m in mappings:
        allowed("resource type", m.source_resource.type)
        allowed("resource type", m.target_resource.type)
        sides = {}
        for side, res in (("source", m.source_resource), ("target", m.target_resource)):
            if not local(res.href):
                raise Failed(f"{side}-resource {res.href} is not a file beside the mapping")
            file = path.parent / res.href
            if not file.exists():
                raise Failed(f"{side}-resource {res.href} does not exist beside {path.name}")
            sides[side] = catalog_ids(Catalog.oscal_read(file))
        for mp in m.maps:
            pairs += 1
            if mp.ns is None:
                allowed("relationship", mp.relationship)
            for side, items in (("source", mp.sources), ("target", mp.targets)):
                for it in items:
                    allowed("item type", it.type)
                    if it.id_ref not in sides[side]:
                        raise Failed(f"map {mp.uuid}: {side} {it.id_ref} is not in the catalog")
        for side, gap in (("source", m.source_gap_summary), ("target", m.target_gap_summary)):
            for sel in (gap.unmapped_controls if gap else []):
                for i in sel.with_ids or []:
                    if str(i) not in sides[side]:
                        raise Failed(f"{side} gap summary: {i} is not in the catalog")
    return f"{pairs} maps, every id-ref in its catalog"


def check(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    root = next(iter(raw))
    model = MODELS.get(root)
    if model is None:
        raise Failed(f"`{root}` is not an OSCAL model this script checks")
    # trestle's models take any oscal-version; its pre-parse checker and pattern do not.
    version = raw[root].get("metadata", {}).get("oscal-version", "")
    if not re.match(OSCAL_VERSION_REGEX, version):
        raise Failed(f"oscal-version {version!r} is not one trestle's models are for ({OSCAL_VERSION})")
    errors = [str(i) for i in check_raw_oscal(raw) if i.severity == "ERROR"]
    if errors:
        raise Failed("; ".join(errors[:5]))
    doc = model.oscal_read(path)
    if doc is None:
        raise Failed("trestle read nothing")
    # `trestle validate`'s checks: duplicate UUIDs, references to roles and parties, links...
    for validator in validator_factory.validator_factory.get_all():
        if type(validator).__name__ == "AllValidator":  # the others, again
            continue
        if not validator.model_is_valid(doc, True, WORKSPACE):
            raise Failed(f"trestle validate ({type(validator).__name__}): {validator.error_msg()}")
    if root == "system-security-plan":
        return check_ssp(path, doc)
    if root == "mapping-collection":
        return check_mapping(path, doc)
    if root == "profile":
        return f"{len(doc.imports)} import(s)"
    return f"{len(catalog_ids(doc))} controls"


# trestle resolves hrefs in a workspace with a cache folder: an empty one of the script's own.
WORKSPACE = pathlib.Path(tempfile.mkdtemp(prefix="srmap-trestle-"))


def main(argv):
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    (WORKSPACE / ".trestle" / "cache").mkdir(parents=True)
    print(f"compliance-trestle {trestle.__version__}, OSCAL {OSCAL_VERSION}")
    failed = 0
    for arg in argv:
        path = pathlib.Path(arg)
        cwd = os.getcwd()
        try:
            # trestle resolves a relative href from the working folder; OSCAL from the folder
            # of the document that holds it: the same, here.
            os.chdir(path.parent)
            print(f"ok   {arg}: {check(pathlib.Path(path.name))}")
        except Exception as e:  # every failure is reported, then the next file is checked
            failed += 1
            first = str(e).strip().splitlines()
            print(f"FAIL {arg}: {type(e).__name__}: {' | '.join(first[:8])}")
        finally:
            os.chdir(cwd)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        code = main(sys.argv[1:])
    finally:
        shutil.rmtree(WORKSPACE, ignore_errors=True)
    sys.exit(code)
