"""The case format's differential board, expert trace and investigation menu: a broken one names its line and field."""
from casebook.loader import load_case
from tests.unit.test_loader import GOOD, line_of, write_case

BOARD = """board:
  - {id: pneumonia, name: Pneumonia, synonyms: [chest infection], final: true}
  - {id: cancer, name: Lung cancer}
  - {id: tb, name: Tuberculosis}
"""
EXPERT_FIRST = """    expert:
      live:
        - {diagnosis: pneumonia, why: A cough after a cold., basis: general}
        - {diagnosis: tb, why: Three weeks is long enough to think of it., basis: general}
      moved_by:
        - {ref: cough, promotes: [pneumonia], why: Follows a cold., basis: general}
"""
MENU = """      - id: q-order
        type: investigation
        prompt: What would you order next?
        explanation: A radiograph decides.
        max_orders: 2
        options:
          - {id: xr, name: Chest radiograph, cost: low, time: 1 hour, invasiveness: non-invasive, result: A shadow., value: decisive, feedback: It shows the shadow.}
          - {id: ct, name: CT chest, cost: high, time: same day, invasiveness: non-invasive, value: useful, feedback: Not needed first.}
          - {id: bronch, name: Bronchoscopy, cost: high, time: days, invasiveness: invasive, value: adds nothing, feedback: Too much too early.}
"""


def with_reasoning(expert: str = EXPERT_FIRST, board: str = BOARD, menu: str = MENU) -> str:
    text = GOOD.replace("    speaker_notes: Ask the room about red flags.\n",
                        "    speaker_notes: Ask the room about red flags.\n" + expert)
    text = text.replace("    questions:\n      - id: q-free\n", "    questions:\n" + menu + "      - id: q-free\n")
    return text.replace("stages:\n", board + "stages:\n", 1)


def test_a_case_with_a_board_a_trace_and_a_menu_loads(tmp_path):
    result = load_case(write_case(tmp_path, "mini-case", with_reasoning()))
    assert result.ok, result.errors
    case = result.case
    assert [d.id for d in case.board] == ["pneumonia", "cancer", "tb"]
    assert case.stages[0].expert.live[0].diagnosis == "pneumonia"
    assert case.question("q-order").options[0].result == "A shadow."
    assert case.question("q-order").options[1].result is None


def test_a_trace_naming_a_diagnosis_not_on_the_board_names_its_line(tmp_path):
    text = with_reasoning(EXPERT_FIRST.replace("{diagnosis: tb,", "{diagnosis: sarcoid,"))
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[0].expert.live[1].diagnosis"
    assert problem.line == line_of(text, "diagnosis: sarcoid")
    assert "'sarcoid' is not a diagnosis on the case's board" in problem.message


def test_a_move_must_point_at_something_in_its_stage(tmp_path):
    text = with_reasoning(EXPERT_FIRST.replace("ref: cough", "ref: crackles"))
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[0].expert.moved_by[0].ref"


def test_a_board_needs_one_final_diagnosis_and_a_first_stage_trace(tmp_path):
    text = with_reasoning(expert="", board=BOARD.replace(", final: true", ""))
    messages = sorted(p.message for p in load_case(write_case(tmp_path, "mini-case", text)).errors)
    assert messages == ["a case with a board needs an expert trace on its first stage",
                        "a differential board needs exactly one final diagnosis, found 0"]


def test_a_decisive_test_needs_its_reported_result(tmp_path):
    text = with_reasoning(menu=MENU.replace("result: A shadow., ", ""))
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[1].questions[0].options[0].result"
    assert problem.message == "a decisive test needs the result the source reports"


def test_a_menu_cannot_allow_more_orders_than_tests(tmp_path):
    text = with_reasoning(menu=MENU.replace("max_orders: 2", "max_orders: 4"))
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[1].questions[0].max_orders"
