"""JUnit XML: one test suite, one test case per checked file; a file with findings at the
fail level is a failure listing them (position, code, message: never a value). File names pass
through `printable`: a character XML 1.0 cannot hold would make the whole report unreadable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rmp.output.names import printable
from rmp.report.base import Report


def render(report: Report) -> str:
    suite = ET.Element("testsuite", {"name": "rmp check", "tests": str(len(report.results))})
    failures = 0
    for file in report.results:
        case = ET.SubElement(suite, "testcase", {"classname": "rmp.check.pipeline",
                                                 "name": printable(file.path)})
        failing = [
            f for f in file.findings if not f.waived and f.severity.at_least(report.fail_on)
        ]
        if failing:
            failures += 1
            failure = ET.SubElement(case, "failure", {
                "type": failing[0].code,
                "message": f"{len(failing)} finding(s) at or above {report.fail_on.value}",
            })
            failure.text = "\n".join(
                f"{printable(f.path)}:{f.line}:{f.column}: {f.severity.value} {f.code} {f.message}"
                for f in failing
            )
        others = [f for f in file.findings if f not in failing]
        if others:
            output = ET.SubElement(case, "system-out")
            output.text = "\n".join(
                f"{printable(f.path)}:{f.line}:{f.column}: {f.severity.value} {f.code} {f.message}"
                + (" (waived)" if f.waived else "")
                for f in others
            )
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites = ET.Element("testsuites", {"name": "rmp", "tests": str(len(report.results)),
                                       "failures": str(failures)})
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
