"""Maven: pom.xml (read as XML, never built) and build.gradle (declarations matched as text)."""

from __future__ import annotations

import re

from crawlers.manifests.base import DEVELOPMENT, RUNTIME, Declared, ManifestError, Parsed
from crawlers.manifests.data import child_text, children, load_xml, local_name

_PROPERTY = re.compile(r"\$\{([^}]{1,200})\}")
_TEST_SCOPES = ("test",)


def parse_pom(text: str) -> Parsed:
    root = load_xml(text)
    if local_name(root) != "project":
        raise ManifestError(f"the root element is <{local_name(root)}>, not <project>")
    properties = {
        local_name(p): (p.text or "").strip() for p in next(iter(children(root, "properties")), [])
    }
    parent = next(iter(children(root, "parent")), None)
    group = child_text(root, "groupId") or child_text(parent, "groupId")
    version = child_text(root, "version") or child_text(parent, "version")
    properties |= {"project.groupId": group, "project.version": version, "pom.version": version}

    def resolve(value: str) -> str:
        return _PROPERTY.sub(lambda m: properties.get(m.group(1), m.group(0)), value)

    artifact = child_text(root, "artifactId")
    parsed = Parsed(
        package_name=f"{resolve(group)}:{artifact}" if group and artifact else "",
        package_version=resolve(version),
    )
    # Dependencies and dependencyManagement (versions the modules inherit) alike.
    sections = children(root, "dependencies") + [
        section
        for management in children(root, "dependencyManagement")
        for section in children(management, "dependencies")
    ]
    for section in sections:
        for dependency in children(section, "dependency"):
            group_id = resolve(child_text(dependency, "groupId"))
            artifact_id = resolve(child_text(dependency, "artifactId"))
            if not group_id or not artifact_id:
                continue
            scope = DEVELOPMENT if child_text(dependency, "scope") in _TEST_SCOPES else RUNTIME
            requirement = resolve(child_text(dependency, "version"))
            parsed.dependencies.append(
                Declared(f"{group_id}:{artifact_id}", requirement, scope=scope)
            )
    return parsed


_CONFIGURATION = r"(?P<configuration>[a-zA-Z]+)"
# implementation 'g:a:v', testImplementation("g:a:v"), api group: 'g', name: 'a', version: 'v'
_STRING_NOTATION = re.compile(
    _CONFIGURATION
    + r"""\s*\(?\s*['"](?P<group>[^'":\s]+):(?P<name>[^'":\s]+)(?::(?P<version>[^'":\s@]+))?[^'"]*['"]"""
)
_MAP_NOTATION = re.compile(
    _CONFIGURATION
    + r"""\s*\(?\s*group\s*[:=]\s*['"](?P<group>[^'"]+)['"]\s*,\s*name\s*[:=]\s*['"](?P<name>[^'"]+)['"]"""
    + r"""(?:\s*,\s*version\s*[:=]\s*['"](?P<version>[^'"]+)['"])?"""
)
_CONFIGURATIONS = {
    "implementation": RUNTIME,
    "api": RUNTIME,
    "compile": RUNTIME,
    "compileOnly": RUNTIME,
    "runtimeOnly": RUNTIME,
    "runtime": RUNTIME,
    "annotationProcessor": DEVELOPMENT,
    "kapt": DEVELOPMENT,
    "testImplementation": DEVELOPMENT,
    "testCompile": DEVELOPMENT,
    "testCompileOnly": DEVELOPMENT,
    "testRuntimeOnly": DEVELOPMENT,
    "androidTestImplementation": DEVELOPMENT,
}


def parse_build_gradle(text: str) -> Parsed:
    """Literal declarations only: Gradle scripts are programs, and we never run them."""
    parsed = Parsed()
    for pattern in (_STRING_NOTATION, _MAP_NOTATION):
        for match in pattern.finditer(text):
            scope = _CONFIGURATIONS.get(match["configuration"])
            if scope is None:
                continue
            name = f"{match['group']}:{match['name']}"
            parsed.dependencies.append(Declared(name, match["version"] or "", scope=scope))
    return parsed
