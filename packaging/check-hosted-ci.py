#!/usr/bin/env python3
"""Keeps the build descriptions that cannot run on our machines in step with the
CMake code that does: the hosted-CI workflow for Windows and macOS
(.github/workflows/installers.yml) and the Flatpak manifest.

    check-hosted-ci.py SOURCE_DIR

Checks that they parse; that every GATESCOPE_* option they pass exists; that the
installer generators they ask CPack for are the ones packaging/cpack.cmake sets up
for that system; that every library the top-level CMakeLists.txt finds is provided
(built by tools/build-deps, a runtime, or the system); that the Qt they install is
new enough and has the modules find_package asks for; that the Flatpak's id and
command are the project's; and that shared library versions agree."""
import pathlib
import re
import sys

import yaml

root = pathlib.Path(sys.argv[1]).resolve()
problems = []


def problem(text):
    problems.append(text)


def read(relative):
    return (root / relative).read_text(encoding="utf-8")


top = read("CMakeLists.txt")
app_id = re.search(r"set\(GATESCOPE_APP_ID (\S+)\)", top).group(1)
min_qt = tuple(int(x) for x in re.search(r"find_package\(Qt6 ([\d.]+)", top).group(1).split("."))
qt_components = re.search(r"find_package\(Qt6 [\d.]+ REQUIRED COMPONENTS ([^)]*)\)", top).group(1).split()
libraries = set(re.findall(r"find_package\((\w+)", top)) - {"Qt6"}

cmake_text = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("CMakeLists.txt")
                       if "build" not in p.relative_to(root).parts)
cmake_text += read("packaging/cpack.cmake")
declared = set(re.findall(r"option\((GATESCOPE_\w+)", cmake_text))
declared |= set(re.findall(r"set\((GATESCOPE_\w+) [^)]*CACHE", cmake_text))

build_deps = read("tools/build-deps")
known_components = set(re.findall(r"^    (\w+)\)$", build_deps, re.M))
dep_versions = dict(re.findall(r"^(\w+)_version=([\d.]+)$", build_deps, re.M))

# Which build-deps component (or system provision) satisfies each library.
provides = {"KF6SyntaxHighlighting": {"ksyntaxhighlighting"}, "Qt6Keychain": {"qtkeychain"},
            "simdjson": {"simdjson"}, "ZLIB": {"zlib"}}
system_provided = {"macos": {"ZLIB"}}  # the macOS SDK has zlib


def check_options(where, text):
    for name in re.findall(r"-D(GATESCOPE_\w+)=", text):
        if name not in declared:
            problem(f"{where}: passes -D{name}, which no CMakeLists declares")


# --- the hosted-CI workflow -------------------------------------------------
workflow = yaml.safe_load(read(".github/workflows/installers.yml"))
cpack = read("packaging/cpack.cmake")
expected_generator = {"windows": ("WIN32", "NSIS"), "macos": ("APPLE", "DragNDrop")}
for job_name, (platform, generator) in expected_generator.items():
    job = workflow.get("jobs", {}).get(job_name)
    if not job:
        problem(f"installers.yml: no '{job_name}' job")
        continue
    steps = job.get("steps", [])
    runs = "\n".join(s.get("run", "") for s in steps)
    check_options(f"installers.yml {job_name}", runs)

    generators = re.findall(r"cpack .*-G (\w+)", runs)
    if generators != [generator]:
        problem(f"installers.yml {job_name}: cpack makes {generators}, expected [{generator}]")
    block = re.search(rf"if\({platform}\)(.*?)(?:elseif|else\(\)|endif)", cpack, re.S)
    if not block or f"set(CPACK_GENERATOR {generator})" not in block.group(1):
        problem(f"cpack.cmake: {platform} does not set CPACK_GENERATOR {generator}")

    components = []
    for line in re.findall(r"tools/build-deps \S+ ([^\n]*)", runs):
        components += line.split()
    for component in components:
        if component not in known_components:
            problem(f"installers.yml {job_name}: tools/build-deps knows no '{component}'")
    if "ksyntaxhighlighting" in components and (
            "ecm" not in components or components.index("ecm") > components.index("ksyntaxhighlighting")):
        problem(f"installers.yml {job_name}: ecm must be built before ksyntaxhighlighting")
    for library in libraries:
        if library in system_provided.get(job_name, set()):
            continue
        if not provides.get(library, set()) & set(components):
            problem(f"installers.yml {job_name}: nothing provides {library} (find_package in CMakeLists.txt)")

    for step in steps:
        if str(step.get("uses", "")).startswith("jurplel/install-qt-action"):
            settings = step.get("with", {})
            version = tuple(int(x) for x in str(settings.get("version", "0")).split("."))
            if version[: len(min_qt)] < min_qt:
                problem(f"installers.yml {job_name}: Qt {settings.get('version')} is older than {min_qt}")
            modules = str(settings.get("modules", "")).split()
            if "HttpServer" in qt_components:
                for module in ("qthttpserver", "qtwebsockets"):
                    if module not in modules:
                        problem(f"installers.yml {job_name}: Qt module {module} not installed")

# --- the Flatpak manifest ---------------------------------------------------
manifest_path = root / "packaging" / "flatpak" / f"{app_id}.yml"
if not manifest_path.exists():
    problem(f"no Flatpak manifest at {manifest_path.relative_to(root)}")
else:
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("app-id") != app_id:
        problem(f"flatpak: app-id {manifest.get('app-id')} is not {app_id}")
    if manifest.get("runtime") != "org.kde.Platform" or manifest.get("sdk") != "org.kde.Sdk":
        problem("flatpak: not on the KDE runtime")
    if not re.search(rf"install\(TARGETS [^)]*\b{manifest.get('command')}\b", read("app/CMakeLists.txt")):
        problem(f"flatpak: command {manifest.get('command')} is not an installed executable")
    if "--talk-name=org.freedesktop.secrets" not in manifest.get("finish-args", []):
        problem("flatpak: no permission to talk to the Secret Service")
    modules = manifest.get("modules", [])
    names = [m.get("name") for m in modules]
    for needed in ("libsecret", "qtkeychain", "simdjson"):
        if needed not in names:
            problem(f"flatpak: no {needed} module")
    if not names or names[-1] != "gatescope":
        problem("flatpak: the last module is not gatescope")
    else:
        app = modules[-1]
        check_options("flatpak gatescope module", "\n".join(app.get("config-opts", [])))
        dirs = [s for s in app.get("sources", []) if s.get("type") == "dir"]
        if not dirs or (manifest_path.parent / dirs[0]["path"]).resolve() != root:
            problem("flatpak: the gatescope module does not build this checkout")
    for module in modules:
        for source in module.get("sources", []):
            tag = str(source.get("tag", "")).lstrip("v")
            version = dep_versions.get(module.get("name"))
            if tag and version and tag != version:
                problem(f"flatpak: {module['name']} {tag}, tools/build-deps builds {version}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"installers.yml and the Flatpak manifest agree with the CMake code "
      f"({len(libraries)} libraries, {len(declared)} options)")
