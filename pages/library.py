"""Case library: search and filter the cases, see which ones you started or finished."""
import streamlit as st

from casebook.library import LibraryFilter, Status, facets, filter_cases, status_of
from components.case_card import render_case_card
from components.pager import page_of, render_pager
from pages._shared import DISCLAIMER, STUDY_PAGE, casebook, learner_code, study_code_line, study_code_panel

book = casebook()
learner = learner_code()
study_code_panel(learner)

st.title("Case library")
st.caption(f"Published case reports, retold stage by stage. {DISCLAIMER}")
study_code_line(learner)
due = len(book.due_reviews(learner))
if due:
    with st.container(border=True, key="library-due"):
        st.markdown(f"**{due} question{'s' if due != 1 else ''} you missed {'are' if due != 1 else 'is'} due for "
                    "review.** A few minutes now makes them stick.")
        st.page_link("pages/review.py", label="Review now", icon=":material/event_repeat:",
                     query_params={"learner": learner})

cases = list(book.cards.values())  # cards only: no case file is read to draw the library
progress = book.learner_status(learner)
points = book.card_points(progress)
f = facets(cases)

query = st.text_input("Search cases", placeholder="symptom, region, specialty…", key="library:query")
with st.expander("Filter by specialty, body region, difficulty, tags or progress"):
    # Three to a row: in five narrow columns a chosen "Sports medicine" showed as "Sports…".
    c1, c2, c4 = st.columns(3)
    c3, c5, _ = st.columns(3)
flt = LibraryFilter(
    query=query,
    specialties=c1.multiselect("Specialty", f.specialties, key="library:specialty"),
    regions=c2.multiselect("Body region", f.regions, key="library:region"),
    difficulties=c3.multiselect("Difficulty", f.difficulties, key="library:difficulty"),
    tags=c4.multiselect("Tags", f.tags, key="library:tags"),
    statuses=c5.multiselect("Progress", list(Status), format_func=lambda s: s.value.capitalize(), key="library:status"),
)
shown = filter_cases(cases, flt, progress)
st.caption(f"{len(shown)} of {len(cases)} cases")
if not shown:
    st.info("No case matches these filters. Clear a filter or the search to see more.")
# A page of cards at a time: a library of thousands draws as fast as one of ten.
page = page_of(shown, key="library:page", reset_on=flt)
columns = st.columns(3)
for i, case in enumerate(page.items):
    with columns[i % 3]:
        render_case_card(
            case, status_of(progress.get(case.id)), study_page=STUDY_PAGE,
            query_params={"case": case.id, "learner": learner}, points=points.get(case.id),
        )
render_pager(page, key="library:page")

if book.library.broken:
    st.subheader("Unavailable cases", anchor=False)
    st.caption("These case files have problems. The rest of the library works; an author can fix them with "
               "`python -m casebook validate cases/`.")
    for broken in book.library.broken:
        with st.container(border=True):
            st.markdown(f"**{broken.folder.name}** is unavailable:")
            st.markdown("\n".join(f"- `{p}`" for p in broken.errors))
