"""Write a case: start from a template, a report's text or a library case; check it and preview it
as students will see it. Nothing is written on the server: the author downloads case.yaml.
Anyone may check a file for problems; copying a library case and the preview with answers are for staff."""
import streamlit as st

from casebook.draft_preview import draft_preview
from casebook.evidence import load_evidence
from casebook.importer import blank_case_yaml, draft_case
from casebook.loader import MAX_TEXT, read_case_text, validate_text
from components.case_preview import render_case_preview, render_draft_preview
from components.problem_list import render_notes, render_numbered_text, render_problems
from pages._shared import DISCLAIMER, casebook, is_staff, staff_needed

EDITOR = "author:yaml"
MAX_REPORT = 200_000

book = casebook()
staff = is_staff()  # a library case's file and the preview hold every answer: staff only
files = {f.folder.name: f for f in book.library.files}


@st.cache_data(max_entries=64, show_spinner=False)
def checked(text: str):
    """Check the text once: every rerun of the page (a click, a widget) shows the same text again."""
    return validate_text(text)


@st.cache_data(max_entries=64, show_spinner=False)
def drafted(text: str):
    """What of an unfinished case can be shown already, stage by stage."""
    return draft_preview(text, checked(text))


def replace_editor(text: str, message: str, notes: list[str] | None = None) -> None:
    previous = st.session_state.get(EDITOR, "")
    if previous.strip() and previous != text:
        st.session_state["author:replaced"] = previous  # one step back, so nothing typed is lost
    st.session_state[EDITOR] = text
    st.session_state["author:notice"] = ("success", message, notes or [])
    st.session_state["author:checking"] = False


def start_blank() -> None:
    replace_editor(blank_case_yaml(st.session_state.get("author:blank-id") or "new-case"),
                   "The blank template is in the editor. Replace every TODO, then press Check and preview.")


def start_from_report() -> None:
    report = st.session_state.get("author:report", "")
    if not report.strip():
        st.session_state["author:notice"] = ("error", "Paste the text of a case report first.", [])
        return
    draft = draft_case(report, st.session_state.get("author:report-id") or None)
    replace_editor(draft.yaml_text,
                   "A draft is in the editor, its to-do list at the top of the file. The report's sentences are "
                   "marked DRAFT: rewrite each in your own words. Check and preview lists what is left, by line.",
                   draft.warnings)


def start_from_library() -> None:
    folder = st.session_state.get("author:library-case")
    try:
        text = read_case_text(files[folder].folder)
    except (KeyError, OSError):
        st.session_state["author:notice"] = ("error", "That case file could not be read.", [])
        return
    replace_editor(text, f"The case in cases/{folder}/ is in the editor. To make a new case from it, give it a new "
                         "id first.")
    st.session_state["author:from-library"] = folder


def undo_replace() -> None:
    st.session_state[EDITOR] = st.session_state.pop("author:replaced", "")
    st.session_state["author:notice"] = ("success", "Your earlier text is back in the editor.", [])
    st.session_state["author:checking"] = False


def start_checking() -> None:
    st.session_state["author:checking"] = True


st.title("Write a case")
st.caption(f"Check a case file and see it as students will. {DISCLAIMER}")
st.info("Nothing you write here is saved on this server. When the case is ready, download **case.yaml** and put it "
        "in your copy of Casebook as `cases/<id>/case.yaml`, in a folder named after the case's id.",
        icon=":material/info:")

st.subheader("1. Start", anchor=False)
blank, report, library = st.tabs(["Blank template", "From a report", "From the library"])
with blank:
    st.text_input("Id of the new case (optional)", key="author:blank-id", max_chars=63,
                  placeholder="e.g. painful-wasted-leg — not the diagnosis")
    st.button("Start from the blank template", key="author:start-blank", on_click=start_blank)
with report:
    st.text_area("Plain text of the case report", key="author:report", height=200, max_chars=MAX_REPORT,
                 placeholder="Paste the report's text here: title, abstract, case presentation, discussion…")
    st.text_input("Id of the new case (optional)", key="author:report-id", max_chars=63,
                  placeholder="e.g. painful-wasted-leg — not the diagnosis")
    st.caption("The draft finds sections, age and sex, lab values with ranges, imaging and the likely diagnosis. "
               "It keeps the report's sentences only as text marked DRAFT, for you to rewrite.")
    st.button("Make a draft", key="author:start-report", on_click=start_from_report)
with library:
    if not staff:
        staff_needed("Copying a library case, answers included,", key="author-library")
    elif files:
        st.selectbox("Case", list(files), key="author:library-case",
                     format_func=lambda name: files[name].card.title if files[name].ok else f"{name} (has problems)")
        st.button("Copy this case into the editor", key="author:start-library", on_click=start_from_library)
    else:
        st.write("The library has no cases yet.")

notice = st.session_state.get("author:notice")
if notice:
    kind, message, notes = notice
    (st.success if kind == "success" else st.error)(message, icon=":material/check_circle:" if kind == "success"
                                                    else ":material/error:")
    render_notes("Notes on the draft", notes)
if "author:replaced" in st.session_state:
    st.button("Bring back the text that was in the editor before", key="author:undo", on_click=undo_replace,
              icon=":material/undo:")

st.subheader("2. Write and check", anchor=False)
edit, results = st.columns([3, 2], gap="medium")
with edit:
    text = st.text_area("case.yaml", key=EDITOR, height=560, max_chars=MAX_TEXT,
                        placeholder="Start from one of the choices above, or paste a case.yaml here.")
    check_col, download_col = st.columns(2)
    check_col.button("Check and preview", type="primary", key="author:check", on_click=start_checking,
                     icon=":material/fact_check:", width="stretch")
    download_col.download_button("Download case.yaml", data=text or "", file_name="case.yaml", mime="text/yaml",
                                  key="author:download", on_click="ignore", icon=":material/download:",
                                  width="stretch", disabled=not (text or "").strip())

checking = bool(st.session_state.get("author:checking")) and bool((text or "").strip())
check = checked(text) if checking else None
draft = drafted(text) if check is not None and check.case is None else None
if check is not None and (check.errors or check.warnings):
    with edit:  # under the editor, beside the problem list: where each `line N` is
        render_numbered_text(text, check.errors + check.warnings)

with results:
    if not st.session_state.get("author:checking"):
        st.markdown("Press **Check and preview** to list every problem by line and field, and to see the case "
                    "stage by stage.")
    elif check is None:
        st.markdown("The editor is empty: start from one of the choices above.")
    else:
        if check.ok:
            st.success(f"No problems. Download case.yaml and save it as cases/{check.case.id}/case.yaml; "
                       f"`python -m casebook validate cases/{check.case.id}/` checks it there too.",
                       icon=":material/check_circle:")
        render_problems(check.errors, check.warnings, text)
        if check.case is None and draft is None:
            st.info("Nothing can be previewed until the text is a case file's list of fields: fix the problem above.",
                    icon=":material/visibility_off:")

if (check is not None and check.case is not None or draft is not None) and not staff:
    st.subheader("3. Preview", anchor=False)
    staff_needed("The preview with every answer and speaker note", key="author-preview")
elif draft is not None:
    st.subheader("3. Preview of the draft, stage by stage", anchor=False)
    shown = len(draft.shown)
    st.caption(f"The file is not a complete case yet, so students cannot use it. {shown} of {len(draft.stages)} "
               "stages can be shown: each as students will see it, with what is left to fix in it beside it.")
    render_draft_preview(draft, text, key="author:draft")
elif check is not None and check.case is not None:
    st.subheader("3. Preview: the case as students will see it", anchor=False)
    st.caption("Students see one stage at a time, each after answering the questions before it; you see every "
               "stage, answer and speaker note here."
               + ("" if check.ok else " Fix the problems above before students use the case."))
    source_folder = files.get(st.session_state.get("author:from-library", ""))
    same_case = source_folder is not None and source_folder.case_id == check.case.id
    evidence = load_evidence(source_folder.folder).evidence if same_case else None
    if evidence is not None:
        st.caption("Under each stage: the facts it states, each beside the source sentence it comes from "
                   f"(from cases/{source_folder.folder.name}/evidence.yaml).")
    render_case_preview(check.case, key="author:preview", case_dir=source_folder.folder if same_case else None,
                        evidence=evidence)

st.divider()
st.caption(DISCLAIMER)
