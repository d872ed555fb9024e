"""The flow behind 'Kerro miten meni': an optional code, three questions one per screen, thanks.

Answers wait in the session between screens; the flow's end and leaving it forget them.
"""

from flask import abort, current_app, g, redirect, render_template, request, session, url_for

from dropin.claims.service import CODE_ALPHABET, CODE_LENGTH
from dropin.extensions import db, limiter
from dropin.feedback import bp
from dropin.feedback.forms import CHOICES, QUESTION_TEXT, AnswerForm, CodeForm
from dropin.feedback.service import code_is_known, normalize_code, save_feedback
from dropin.kiosks import load_site_and_kiosk
from dropin.models.feedback import QUESTIONS

FLOW_KEY = "feedback"
QUESTION = f"<any({', '.join(QUESTIONS)}):question>"

# The same site and kiosk as the board: g.site, and g.kiosk only for this site's enrolled screens.
bp.url_value_preprocessor(load_site_and_kiosk)


def _rate_limit() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


def _code_rate_limit() -> str:
    return current_app.config["FEEDBACK_CODE_RATE_LIMIT"]


def _kiosk_key() -> str:
    # Per screen, by the enrolled kiosk's id: nothing about the visitor reaches the limiter.
    kiosk = g.get("kiosk")
    return f"feedback-kiosk:{kiosk.id if kiosk else '-'}"


def _not_enrolled() -> bool:
    # The view answers those with 403; the limiter must not turn that into a thanks page.
    return g.get("kiosk") is None


def _not_the_saving_answer() -> bool:
    return _not_enrolled() or (request.view_args or {}).get("question") != QUESTIONS[-1]


@bp.before_request
def enrolled_only():
    if g.kiosk is None:
        if request.method == "POST":
            abort(403)
        return redirect(url_for("kiosk.board", site=g.site.slug))
    return None


@bp.errorhandler(429)
def over_the_limit(_error):
    """Too many tries from this screen: the visitor carries on calmly and nothing is stored."""
    site = request.view_args["site"]
    if request.endpoint == "feedback.check_code":
        _keep(code=None)
        return redirect(url_for(".question", site=site, question=QUESTIONS[0]))
    _forget()
    return redirect(url_for(".thanks", site=site))


def _flow() -> dict:
    kept = session.get(FLOW_KEY) or {}
    return {"code": kept.get("code"), "answers": dict(kept.get("answers") or {})}


def _keep(**changes) -> dict:
    flow = _flow()
    flow.update(changes)
    session[FLOW_KEY] = flow
    return flow


def _forget() -> None:
    session.pop(FLOW_KEY, None)


@bp.get("/<site>/feedback")
def start(site):
    """The board's entry: every visitor starts a fresh flow."""
    _forget()
    return redirect(url_for(".code", site=site))


def _code_page(form: CodeForm, unknown: bool = False):
    return render_template(
        "feedback/code.html",
        form=form,
        unknown=unknown,
        alphabet=CODE_ALPHABET,
        code_length=CODE_LENGTH,
        first_question=QUESTIONS[0],
        idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"],
    )


@bp.get("/<site>/feedback/code")
def code(site):
    return _code_page(CodeForm())


@bp.post("/<site>/feedback/code")
@limiter.limit(_code_rate_limit, key_func=_kiosk_key, methods=["POST"], exempt_when=_not_enrolled)
def check_code(site):
    form = CodeForm()
    _keep(code=None)
    valid = form.validate_on_submit()
    typed = (form.code.data or "").strip()
    first = url_for(".question", site=site, question=QUESTIONS[0])
    if valid and not typed:
        return redirect(first)
    code = normalize_code(typed) if valid else None
    if code and code_is_known(g.site, code):
        _keep(code=code)
        return redirect(first)
    # An empty field to try again: nothing to erase key by key, and the screen shows no code.
    return _code_page(CodeForm(formdata=None), unknown=True)


@bp.get(f"/<site>/feedback/{QUESTION}")
def question(site, question):
    return render_template(
        "feedback/question.html",
        question=question,
        text=QUESTION_TEXT[question],
        number=QUESTIONS.index(question) + 1,
        total=len(QUESTIONS),
        choices=CHOICES,
        has_code=bool(_flow()["code"]),
        form=AnswerForm(),
        idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"],
    )


@bp.post(f"/<site>/feedback/{QUESTION}")
@limiter.limit(_rate_limit, key_func=_kiosk_key, methods=["POST"], exempt_when=_not_the_saving_answer)
def answer(site, question):
    form = AnswerForm()
    if not form.validate_on_submit():
        return redirect(url_for(".question", site=site, question=question))
    flow = _flow()
    flow["answers"][question] = form.value
    following = QUESTIONS.index(question) + 1
    if following < len(QUESTIONS):
        _keep(answers=flow["answers"])
        return redirect(url_for(".question", site=site, question=QUESTIONS[following]))
    save_feedback(g.site, flow["answers"], flow["code"])
    db.session.commit()
    _forget()
    return redirect(url_for(".thanks", site=site))


@bp.get("/<site>/feedback/thanks")
def thanks(site):
    _forget()
    return render_template("feedback/thanks.html", seconds=current_app.config["FEEDBACK_THANKS_SECONDS"])


@bp.get("/<site>/feedback/leave")
def leave(site):
    """'Lopeta' and the idle timer: forget the answers, back to the board for the next visitor."""
    _forget()
    return redirect(url_for("kiosk.done", site=site))
