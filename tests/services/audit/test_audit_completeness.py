"""Every service function that changes the store writes an audit entry, read from the source.

Only services open transactions and write the audit log; so the log is complete when every
public service function that opens a transaction and writes in it (``session.add``/``delete``,
``UPDATE``/``DELETE``/``INSERT`` statements, a repository call named for a write, or a
column set on a row) also records an entry: directly (``audit.record``,
``record_separately``, a helper whose name says ``audit``), or through a function of its own
module that does. The few writes that are bookkeeping rather than a change anyone acts on
are listed with the reason. Like ``tests/test_architecture.py`` it reads the code
(:mod:`ast`), so it holds for paths no other test happens to run.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[3] / "src" / "credstack" / "services"

#: Repository calls that write, by the verb their name starts with (``store.add_x(session, …)``).
WRITING = re.compile(r"(add|create|insert|update|delete|set|mark|remove|save|write|store|"
                     r"import|publish|claim|allocate|revoke|forget|put|replace|use|touch)(_|$)")
#: (module, function) → why its write needs no entry.
BOOKKEEPING = {
    ("accounts/sessions.py", "resolve"):
        "notes when a web session was last used (its idle timeout), on every request",
    ("accounts/passkeys.py", "begin_registration"):
        "keeps the challenge of a passkey registration begun; the passkey it makes is audited "
        "when the ceremony finishes (passkey.registered, or passkey.refused)",
    ("accounts/passkey_sign_in.py", "begin"):
        "keeps the challenge of a passkey sign-in begun by an anonymous browser; the sign-in "
        "is audited when it finishes (login.succeeded, login.failed)",
    ("accounts/sign_up.py", "request"):
        "keeps an anonymous request for the e-mail link (and its rate limit); the account it "
        "makes is audited when the link is used (user.created)",
    ("counting.py", "flush"):
        "adds up events that already happened (a verification, a claim link followed) in the "
        "issuers' counts and the operator's 'verified' figure; nothing's state changes",
    ("creditbank/accounts.py", "account"):
        "opens the caller's empty account the first time it is read; every deposit and "
        "ledger entry into it is audited",
    ("jobs/runner.py", "run"):
        "moves a job through its states and progress; its start and what it does are audited",
    ("jobs/files.py", "start_with_input"):
        "stores the file a job is to read (a registrar's export) in parts before the job is "
        "sent; the job's start is audited, and so is what it does with the file (the import)",
    ("jobs/files.py", "forget_input"):
        "removes a job's staged file once the job has read it; only that job reads it, and "
        "the job's run is audited",
    ("registrar/documents.py", "begin"):
        "takes the status entries a graduating class's chunk will be signed under, before it "
        "is signed outside any transaction; the documents that use them are audited when "
        "stored (registrar.documents.issued), and a run killed between the two signs under "
        "the same entries when resumed",
    ("wallet/credentials.py", "recheck_all"):
        "keeps the latest verification of a stored credential, which anyone may redo",
}


#: The names a module may give SQLAlchemy's statement builders that write.
_BUILDERS = {"update", "delete", "insert", "update_rows"}


def _builds_a_write(node: ast.AST) -> bool:
    """``update(…)`` / ``insert(…)`` / ``delete(…)`` (or ``table.update()``), however many
    generative calls (``.where(…).values(…)``) follow it."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr not in _BUILDERS:
        node = node.func.value
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id in _BUILDERS) or \
        (isinstance(func, ast.Attribute) and func.attr in _BUILDERS)


@cache
def _prebuilt_writes(path: Path) -> frozenset[str]:
    """The module-level statements of ``path`` that write (``_KEEP = insert(…)``): a
    function that executes one writes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1
            else None)
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and value is not None and _builds_a_write(value):
            names.add(target.id)
    return frozenset(names)


def _is_write(node: ast.AST, prebuilt: frozenset[str] = frozenset()) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value
            if func.attr in {"add", "add_all", "delete", "merge"} and \
                    isinstance(owner, ast.Name) and owner.id == "session":
                return True
            if func.attr == "execute" and node.args and (
                    _builds_a_write(node.args[0]) or (isinstance(node.args[0], ast.Name)
                                                      and node.args[0].id in prebuilt)):
                return True
            if node.args and isinstance(node.args[0], ast.Name) and \
                    node.args[0].id == "session" and WRITING.match(func.attr):
                return True
    if isinstance(node, ast.Assign):
        return any(isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                   and target.value.id not in {"self", "cls"} for target in node.targets)
    return False


def _calls(function: ast.FunctionDef) -> Iterator[str]:
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                yield func.id
            elif isinstance(func, ast.Attribute):
                yield func.attr


def _opens_a_transaction(function: ast.FunctionDef) -> bool:
    return any(isinstance(node, ast.Attribute) and node.attr == "transaction"
               for node in ast.walk(function))


@cache
def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def _recording(functions: dict[str, ast.FunctionDef]) -> set[str]:
    """The module's functions that record an entry, directly or through one that does."""
    recording = {name for name, function in functions.items()
                 if any(call in {"record", "record_separately"} or "audit" in call.lower()
                        for call in _calls(function))}
    grown = True
    while grown:
        grown = False
        for name, function in functions.items():
            if name not in recording and any(call in recording for call in _calls(function)):
                recording.add(name)
                grown = True
    return recording


def _writes(function: ast.FunctionDef, functions: dict[str, ast.FunctionDef],
            prebuilt: frozenset[str] = frozenset()) -> bool:
    if any(_is_write(node, prebuilt) for node in ast.walk(function)):
        return True
    return any(any(_is_write(node, prebuilt) for node in ast.walk(functions[call]))
               for call in _calls(function) if call in functions)


def unaudited_changes() -> dict[tuple[str, str], int]:
    """(module, function) → line of each public service function that changes the store in
    a transaction it opens and records no audit entry."""
    found = {}
    for path in sorted(SERVICES.rglob("*.py")):
        functions = _functions(path)
        recording = _recording(functions)
        for name, function in functions.items():
            if name.startswith("_") or name in recording:
                continue
            if _opens_a_transaction(function) and _writes(function, functions,
                                                          _prebuilt_writes(path)):
                found[(path.relative_to(SERVICES).as_posix(), name)] = function.lineno
    return found


def test_every_service_function_that_changes_the_store_writes_an_audit_entry() -> None:
    unaudited = {key: line for key, line in unaudited_changes().items()
                 if key not in BOOKKEEPING}
    assert not unaudited, "changes the store without an audit entry: " + ", ".join(
        f"services/{module}:{line} {name}()" for (module, name), line in unaudited.items())


def test_the_bookkeeping_list_names_only_functions_that_write_without_an_entry() -> None:
    """A function given an entry since (or renamed) leaves the list."""
    assert set(BOOKKEEPING) <= set(unaudited_changes())


def test_a_change_without_an_entry_is_found(tmp_path: Path) -> None:
    """The reading finds the omission it is for: a create with its record removed."""
    module = tmp_path / "service.py"
    module.write_text('''
def create(runtime, *, actor, thing):
    with runtime.transaction() as session:
        store.create_thing(session, thing=thing)


def rename(runtime, *, actor, thing, name):
    with runtime.transaction() as session:
        row = store.thing(session, thing)
        row.name = name
        _audit(session, row)


def _audit(session, row):
    audit.record(session, at=None, actor="", action="thing.renamed", subject="", details={})


_FORGET = delete(Thing).where(Thing.id == bindparam("id"))
_READ: Final = select(Thing.name).where(Thing.id == bindparam("id"))


def forget(runtime, *, actor, thing):
    with runtime.transaction() as session:
        session.connection().execute(_READ, {"id": thing})
        session.connection().execute(_FORGET, {"id": thing})
''')
    functions = _functions(module)
    recording = _recording(functions)
    assert "rename" in recording and "create" not in recording
    assert _writes(functions["create"], functions) and _writes(functions["rename"], functions)
    # A statement built once at module level writes when executed; one that reads does not.
    assert _prebuilt_writes(module) == {"_FORGET"}
    assert _writes(functions["forget"], functions, _prebuilt_writes(module))
