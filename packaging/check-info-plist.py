#!/usr/bin/env python3
"""Reads a configured Info.plist the way macOS does and checks what the bundle
needs: check-info-plist.py PLIST APP_ID VERSION"""
import plistlib
import sys

path, app_id, version = sys.argv[1:4]
with open(path, "rb") as f:
    plist = plistlib.load(f)
expected = {
    "CFBundleIdentifier": app_id,
    "CFBundleExecutable": "Gatescope",  # OUTPUT_NAME on macOS (app/CMakeLists.txt)
    "CFBundleIconFile": "Gatescope.icns",
    "CFBundlePackageType": "APPL",
    "CFBundleShortVersionString": version,
    "CFBundleVersion": version,
    "NSHighResolutionCapable": True,
}
wrong = {k: plist.get(k) for k, v in expected.items() if plist.get(k) != v}
if wrong:
    sys.exit(f"{path}: unexpected values {wrong}, wanted {expected}")
print(f"{path}: {len(plist)} keys, bundle {app_id} {version}")
