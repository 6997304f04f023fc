"""The yearly report's opening paragraph, written like the seed's sentences, in Vietnamese (as filed)
or English (for the English interface), and the number formats both languages use."""
from __future__ import annotations

from learnhub.reports.yearly import FORMS, YearlyReport

FORM_NAMES = {
    "vi": {"in_person": "trực tiếp", "online": "trực tuyến", "hybrid": "kết hợp"},
    "en": {"in_person": "in person", "online": "online", "hybrid": "hybrid"},
}


def number(value: int, lang: str = "vi") -> str:
    """2.438 in Vietnamese, 2,438 in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def count(value: int, lang: str = "vi") -> str:
    """A count in running text: the Vietnamese write counts below ten on two digits ("08")."""
    if lang == "vi" and 0 <= value < 10:
        return f"{value:02d}"
    return number(value, lang)


def percent(rate: float | None, lang: str = "vi") -> str:
    """98% or 97,5% (97.5% in English), one decimal at most, as the dashboards round; "–" for no rate."""
    if rate is None:
        return "–"
    text = f"{100 * rate:.1f}".removesuffix(".0")
    return (text.replace(".", ",") if lang == "vi" else text) + "%"


def _forms(report: YearlyReport, lang: str) -> str:
    """"trực tiếp" when every conference had one form, else the split by form in brackets."""
    held = [(form, report.conferences_by_form.get(form, 0)) for form in FORMS]
    held = [(form, n) for form, n in held if n]
    names = FORM_NAMES[lang]
    if len(held) == 1 and held[0][1] == report.conferences:
        return names[held[0][0]]
    parts = ", ".join(f"{count(n, lang)} {names[form]}" for form, n in held)
    return f"học tập, quán triệt ({parts})" if lang == "vi" else f"({parts})"


def _outreach_parts(report: YearlyReport, lang: str) -> str:
    labels = {
        "vi": ("lượt dự hội nghị", "lượt dự các buổi tuyên truyền của Mặt trận Tổ quốc và các đoàn thể",
               "lượt truy cập trang tuyên truyền trực tuyến"),
        "en": ("at conferences", "at outreach sessions of the Fatherland Front and mass organisations",
               "visits to the public study pages"),
    }[lang]
    values = (report.conference_citizens, report.outreach_sessions, report.public_visits)
    parts = [f"{number(n, lang)} {label}" for n, label in zip(values, labels, strict=True) if n]
    if len(parts) < 2:
        return ""
    return f" (gồm {', '.join(parts)})" if lang == "vi" else f" ({', '.join(parts)})"


def _vi(report: YearlyReport) -> str:
    text = f"Trong năm {report.year}, {report.unit_name} "
    if report.conferences:
        text += f"đã tổ chức được {count(report.conferences)} hội nghị {_forms(report, 'vi')}"
        if report.participants:
            text += (f" với {count(report.participants)} đảng viên, cán bộ công chức không phải là đảng viên "
                     "tham gia học tập")
        else:
            text += " (chưa ghi nhận đảng viên, cán bộ công chức tham dự)"
        text += " và " if report.outreach else ", "
    else:
        text += "chưa tổ chức hội nghị học tập, quán triệt nào; " + ("đã " if report.outreach else "")
    if report.outreach:
        text += (f"tuyên truyền đến {count(report.outreach)} lượt quần chúng Nhân dân trên địa bàn"
                 + _outreach_parts(report, "vi"))
    else:
        text += "chưa ghi nhận lượt quần chúng Nhân dân nào được tuyên truyền"
    plans = len(report.plans)
    if report.headline.roster:
        text += ("; tỷ lệ học tập, quán triệt chỉ thị, nghị quyết trong cán bộ, đảng viên và cán bộ công chức, "
                 f"viên chức đạt {percent(report.headline_rate)} ({number(report.headline.completed)} trên "
                 f"{number(report.headline.roster)} lượt phải học của {count(plans)} kế hoạch đến hạn trong năm).")
    elif plans:
        text += "; các kế hoạch đến hạn trong năm không có cán bộ, đảng viên, công chức, viên chức phải học."
    else:
        text += "; trong năm không có kế hoạch học tập, quán triệt nào đến hạn."
    if report.citizens.roster:
        text += (f" Tỷ lệ quần chúng Nhân dân học tập theo kế hoạch đạt {percent(report.citizens.rate)} "
                 f"({number(report.citizens.completed)} trên {number(report.citizens.roster)} lượt phải học).")
    return text + _vi_units(report)


def _uniform_target(report: YearlyReport) -> float | None:
    targets = {p.target for p in report.plans}
    return targets.pop() if len(targets) == 1 else None


def _vi_units(report: YearlyReport) -> str:
    lagging = report.lagging_units
    target = _uniform_target(report)
    goal = f"chỉ tiêu {percent(target)}" if target is not None else "chỉ tiêu"
    if lagging:
        names = ", ".join(f"{u.name} ({percent(u.rate)})" for u in lagging)
        return f" Còn {count(len(lagging))} đơn vị chưa đạt {goal}: {names}."
    if any(u.rate is not None for u in report.units if not u.own_members):
        return f" Tất cả các đơn vị trực thuộc có người phải học đều đạt {goal}."
    return ""


def _en(report: YearlyReport) -> str:
    text = f"In {report.year}, {report.unit_name} "
    if report.conferences:
        noun = "study conference" if report.conferences == 1 else "study conferences"
        forms = _forms(report, "en")
        text += (f"held {count(report.conferences, 'en')} {noun} {forms}" if forms.startswith("(")
                 else f"held {count(report.conferences, 'en')} {forms} {noun}")
        if report.participants:
            text += (f", attended by {count(report.participants, 'en')} party members and non-party civil "
                     "servants")
        else:
            text += " (no party member or civil servant recorded as present)"
        text += ", and " if report.outreach else ", "
    else:
        text += "held no study conference, " + ("but " if report.outreach else "")
    if report.outreach:
        text += (f"reached {count(report.outreach, 'en')} citizen attendances and visits in its area"
                 + _outreach_parts(report, "en"))
    else:
        text += "and recorded no outreach to citizens"
    plans = len(report.plans)
    if report.headline.roster:
        text += ("; the study rate among cadres, party members, civil servants and public employees was "
                 f"{percent(report.headline_rate, 'en')} ({number(report.headline.completed, 'en')} of "
                 f"{number(report.headline.roster, 'en')} required, over {plans} "
                 f"plan{'s' if plans != 1 else ''} due in the year).")
    elif plans:
        text += "; the plans due in the year required no party member or civil servant to study."
    else:
        text += "; no study plan fell due in the year."
    if report.citizens.roster:
        text += (f" The study rate among citizens under the plans was {percent(report.citizens.rate, 'en')} "
                 f"({number(report.citizens.completed, 'en')} of {number(report.citizens.roster, 'en')}).")
    lagging = report.lagging_units
    target = _uniform_target(report)
    goal = f"the {percent(target, 'en')} target" if target is not None else "target"
    if lagging:
        names = ", ".join(f"{u.name} ({percent(u.rate, 'en')})" for u in lagging)
        text += f" Units below {goal}: {names}."
    elif any(u.rate is not None for u in report.units if not u.own_members):
        text += f" Every sub-unit with members to study met {goal if target is not None else 'its target'}."
    return text


def summary(report: YearlyReport, lang: str = "vi") -> str:
    """The opening paragraph: conferences, participants, outreach, the study rate and the lagging units."""
    return _en(report) if lang == "en" else _vi(report)
