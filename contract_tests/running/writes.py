"""``contract-tests writes --allow-writes``: the write checks of every collection the spec lets the kit create,
against a live server, everything created removed at the end (also when interrupted), and a report of what was
written and removed. Never by default: a shared staging must be written to only by a run that says so."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from contract_tests.judging.writes import WriteStory, plans, tell
from contract_tests.running.cleanup import Cleanup, removed_at_exit
from contract_tests.sending.writer import Writer
from customers_spec import Api
from customers_spec.errors import KitError


@dataclass
class WriteRun:
    """What a write run found and did."""

    stories: list[WriteStory] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    error: str = ""  # why the run could not finish (the server stopped answering), else ""

    @property
    def violations(self) -> list[str]:
        return [f"{story.collection}: {each}" for story in self.stories for each in story.violations]

    def document(self) -> dict[str, object]:
        """The run as JSON data: for a CI job that keeps what was written and removed beside its other reports."""
        return {
            "stories": [
                {"collection": each.collection, "passed": each.passed, "failed": each.violations, "notes": each.notes}
                for each in self.stories
            ],
            "written": self.written,
            "removed": self.removed,
            "left": self.left,
            "error": self.error or None,
        }

    def lines(self) -> list[str]:
        """The report, a line each: the checks passed and failed, the notes, what was written and removed."""
        found = []
        for story in self.stories:
            found += [f"ok    {story.collection}: {each}" for each in story.passed]
            found += [f"FAIL  {story.collection}: {each}" for each in story.violations]
            found += [f"note  {story.collection}: {each}" for each in story.notes]
        found += [f"written  {path}" for path in self.written]
        found += [f"removed  {path}" for path in self.removed]
        found += [f"LEFT     {path} (remove it by hand: it carries the marker)" for path in self.left]
        if self.error:
            found.append(f"COULD NOT FINISH: {self.error}")
        return found


def run_writes(api: Api, writer: Writer, run_id: str | None = None) -> WriteRun:
    """Every write story of ``api`` against the server ``writer`` sends to; records removed whatever happens."""
    run_id = run_id or time.strftime("%Y%m%dT%H%M%S")
    run = WriteRun()

    def remove(path: str) -> bool:
        """Delete the record, and see it gone (a server that forgets deletes leaves it: reported as left)."""
        return writer.send("delete", path).status in (200, 202, 204, 404) and writer.send("get", path).status == 404

    cleanup = Cleanup(remove)
    try:
        with removed_at_exit(cleanup):
            for plan in plans(api):
                story = WriteStory(plan.create.collection.name)
                run.stories.append(story)

                def created(path: str) -> None:
                    cleanup.created(path)

                try:
                    tell(story, plan, writer.send, run_id, created)
                    for path in cleanup.written:
                        if writer.send("get", path).status == 404:
                            cleanup.gone(path)  # the story removed it itself
                except KitError as exc:  # no answer any more: still remove what can be, and say what was written
                    run.error = str(exc)
                    break
    finally:
        run.written, run.removed, run.left = list(cleanup.written), list(cleanup.removed), list(cleanup.left)
    return run
