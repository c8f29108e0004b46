"""Every word patients and staff read, in one catalogue.

Short, warm and plain. Never promise that someone is watching around the clock, never promise secrecy,
never name a method of self-harm. Keys are stable: they are the messages' context in the
Spanish, German and French catalogues (bot/locale), whose translations are looked up by key and English words.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bot.i18n.catalogue import translations


class Plural(NamedTuple):
    """Words that change with a number: `count` names the placeholder that holds it."""

    one: str
    other: str
    count: str


# The English source of every message, by key. `pybabel extract` reads it (bot/i18n/extract.py): keep it one dict
# literal of plain strings and `Plural(...)` calls.
EN: dict[str, str | Plural] = {
    # Enrollment
    "consent": (
        "Hello {name}, this is the check-in bot of {clinic}.\n\n"
        "What it does: a short mood check-in each day, reminders for your appointments, and a private "
        "journal you can write in whenever you like.\n\n"
        "What is kept: your mood scores, your notes and the messages you send here. Your care team at "
        "{clinic} can read them to prepare your sessions.\n\n"
        "Please know: nobody watches this chat around the clock. If you are in crisis, call a crisis line "
        "or emergency services. /sos shows the numbers at any time.\n\n"
        "You can pause with /pause, and erase your journal with /delete at any time.\n\n"
        "Is this all right with you?"
    ),
    "consent.agree": "Yes, I agree",
    "consent.decline": "No, thanks",
    "consent.accepted": (
        "Thank you, {name}. You're all set.\n\n"
        "Each day at {time} ({timezone}) I'll ask how you're feeling. Anything else you write here is "
        "saved to your journal.\n\n"
        "/help shows everything I can do."
    ),
    "consent.declined": (
        "That's completely fine. Nothing has been set up. If you change "
        "your mind, open your link again while it is valid, or ask your clinic for a new one."
    ),
    "consent.closed": "This question has already been answered.",
    "invite.unknown": (
        "This link doesn't work. It may be mistyped, already used, or expired. Please ask your clinic for a new one."
    ),
    "welcome.back": "Welcome back, {name}. /help shows what I can do.",
    "stranger": (
        "Hello. This bot works with patients of {clinic}, who join with a personal link from the clinic. "
        "If you have one, please open it again.\n\n"
        "If you are struggling right now, please reach out to someone:\n{hotlines}"
    ),
    "deactivated": (
        "Your check-ins with {clinic} have ended, so this chat no longer keeps a journal. If you need the clinic, "
        "please contact them directly.\n\n{hotlines}"
    ),
    # Check-in
    "checkin.ask": "Hi {name}. How is your mood today, from 0 (very low) to 10 (very good)?",
    "checkin.answered": (
        "How is your mood today, from 0 (very low) to 10 (very good)?\n\n"
        "You chose {score}. Tap another number to change it."
    ),
    "checkin.note": "Thank you. Would you like to add a few words about today? Just write them here.",
    "checkin.skip": "Skip",
    "checkin.skipped": "That's fine, no note today.",
    "checkin.note_saved": "Thank you, I've added that to today's check-in.",
    "checkin.closed": "This check-in has closed. You can always write in your journal, or use /checkin.",
    "checkin.not_yours": "This button isn't for you.",
    "checkin.recorded": "Saved: {score}",
    # Journal
    "journal.saved": "Saved to your journal.",
    "journal.updated": "Updated in your journal.",
    "journal.not_saved": ("Sorry, I couldn't save that just now. Please send it again in a moment."),
    "nontext": (
        "Thank you. I can only keep written words here, so this wasn't saved. You're welcome to write it as text."
    ),
    # Commands
    "help": (
        "Here's what I can do:\n"
        "/checkin – tell me how you feel now\n"
        "/phq9 – a short questionnaire about your mood\n"
        "/gad7 – a short questionnaire about worry\n"
        "/appointments – your upcoming appointments\n"
        "/settings – your check-in time and time zone\n"
        "/pause – take a break from check-ins (/pause 7 for a week)\n"
        "/resume – start check-ins again\n"
        "/mood – a chart of your mood\n"
        "/mydata – a copy of everything you've shared\n"
        "/delete – erase your journal\n"
        "/sos – crisis lines\n\n"
        "Anything else you write is saved to your journal.\n"
        "Nobody watches this chat around the clock. In a crisis, please use /sos."
    ),
    "settings.show": (
        "Your daily check-in is at {time}, {timezone} time.\n\n"
        "To change it, send for example:\n/settings 20:00\n/settings Europe/Berlin\n/settings 8pm berlin"
    ),
    "settings.saved": "Done. Your daily check-in is now at {time}, {timezone} time.",
    "help.language": "/language – choose the language I write in",
    "language.ask": "I'm writing to you in {language}. Which language would you like?",
    "language.set": "Done. From now on I'll write to you in {language}.",
    "settings.invalid": (
        'Sorry, I didn\'t understand "{value}". Try a time like 20:00 or 8pm, or a time zone like '
        "Europe/Berlin or a city such as berlin."
    ),
    "pause.done_days": "Check-ins are paused until {until}. Your journal stays open. /resume starts them again sooner.",
    "pause.done": "Check-ins are paused. Your journal stays open. /resume starts them again whenever you like.",
    "pause.invalid": "Please give a number of days from 1 to 90, for example /pause 7, or just /pause.",
    "resume.done": "Welcome back. Your next check-in is at {time}, {timezone} time.",
    "resume.not_paused": "Check-ins are already on. The next one is at {time}, {timezone} time.",
    "not_enrolled": "This works once you've joined with the link from your clinic.",
    "error": "Sorry, something went wrong on my side. Please try again in a moment. If you need help now, use /sos.",
    "button.stale": "This button no longer works.",
    # Hotlines
    "sos.header": "You deserve support right now. These lines are there for you:",
    "sos.emergency": "Emergency: {number}",
    "sos.emergency_unknown": "If you are in immediate danger, call your local emergency number.",
    "sos.reach": "If you can, reach out to someone you trust as well.",
    "sos.line_call": "call {call}",
    "sos.line_text": "text {text}",
    "sos.line_hours": "({hours})",
    # Crisis
    "crisis.reply": (
        "Thank you for telling me. I'm sorry you're going through this. You don't have to face it alone.\n\n"
        "Please reach out to someone now:\n{hotlines}\n\n{team}"
        "This chat isn't watched around the clock, so please don't wait for a reply here."
    ),
    "crisis.reply.imminent": (
        "Thank you for telling me. Your safety matters most right now.\n\n"
        "If you might act on these thoughts, please call for help now:\n{hotlines}\n\n"
        "If you can, go to someone near you and stay with them. {team}"
        "This chat isn't watched around the clock, so please don't wait for a reply here."
    ),
    "crisis.team": "I'm letting your care team know too, though they may not see it straight away. ",
    "crisis.alert": (
        "🚨 Crisis alert – {tier}\n{person}\nSaid: “{excerpt}”\nAt: {when}\nWhy: {why}{repeats}\n"
        "The patient was sent the crisis lines. Please acknowledge when someone is handling this."
    ),
    "crisis.why.rule": "the words “{matched}” (rule {rule}){score}",
    "crisis.why.rule_only": "rule {rule}{score}",
    "crisis.why.model": "the detector's model is {percent}% sure this is a crisis",
    "crisis.why.score": "; model {percent}%",
    "crisis.why.answer.yes": (
        "the bot asked (model {percent}% sure) and the patient answered yes: thoughts of ending their life or "
        "of hurting themselves"
    ),
    "crisis.why.answer.call": (
        "the bot asked (model {percent}% sure) and the patient asked for a call. Please call them back"
    ),
    "crisis.tier.possible": "possible crisis",
    "crisis.possible.ask": (
        "Thank you for writing this. I'd like to check on you, and it's all right to answer honestly: "
        "are you having thoughts of ending your life, or of hurting yourself?\n\n"
        "If you need someone right now, these lines are there for you:\n{hotlines}"
    ),
    "crisis.possible.yes": "Yes",
    "crisis.possible.no": "No",
    "crisis.possible.call": "I'd like a call",
    "crisis.possible.no_reply": (
        "Thank you for letting me know. I've kept what you wrote in your journal, and your care team may look "
        "at it with you at your next session. If that changes, /sos shows the crisis lines at any time."
    ),
    "crisis.possible.call_reply": (
        "Thank you. I've asked your care team to call you. They may not see this straight away, so if you need "
        "someone before they call, please reach out now:\n{hotlines}"
    ),
    "crisis.possible.thanks": "Thank you for answering.",
    "crisis.possible.already": "You've answered this already. /sos shows the crisis lines at any time.",
    "crisis.possible.not_yours": "This question was for someone else.",
    "crisis.possible.answered": "{question}\n\nYour answer: {answer}",
    "crisis.other.reply": (
        "It sounds like you're worried about someone. Thank you for looking out for them.\n\n"
        "If they may be in danger right now, call the emergency number and stay with them until help comes. "
        "If you can, stay with them or keep in touch, listen without judging, and ask them openly how they are.\n\n"
        "These lines can help them, and you too:\n{hotlines}"
    ),
    "staff.possible.unanswered": Plural(
        "ℹ️ Notice, not a crisis alert: {person} wrote something that may mean they are struggling, and has not "
        "answered the bot's question about thoughts of ending their life or self-harm for {minutes} minute.\n"
        "Said: “{excerpt}”\nWhy: {why}\nThey were given the crisis lines with the question.",
        "ℹ️ Notice, not a crisis alert: {person} wrote something that may mean they are struggling, and has not "
        "answered the bot's question about thoughts of ending their life or self-harm for {minutes} minutes.\n"
        "Said: “{excerpt}”\nWhy: {why}\nThey were given the crisis lines with the question.",
        "minutes",
    ),
    "staff.other_person": (
        "ℹ️ Notice, not a crisis alert: patient #{id} {name} wrote that someone close to them may be in "
        "crisis. They were given the crisis lines and how to help.\nSaid: “{excerpt}”"
    ),
    "crisis.alert.repeats": "\nMessages like this: {count} (latest {latest})",
    "crisis.alert.reminder": "⏰ Reminder {round}: not acknowledged yet.\n",
    "crisis.alert.fallback": Plural(
        "No one has acknowledged this alert in the staff chat for {minutes} minute.\n",
        "No one has acknowledged this alert in the staff chat for {minutes} minutes.\n",
        "minutes",
    ),
    "crisis.alert.unrecorded": (
        "🚨 Crisis alert – {tier}\n{person}\nSaid: “{excerpt}”\nWhy: {why}\n"
        "The database could not be reached, so this alert has no button and will not be repeated."
    ),
    "crisis.person.patient": "Patient #{id} {name}",
    "crisis.person.stranger": "Not enrolled: {name} (Telegram id {id})",
    "crisis.person.stranger_id": "Someone not enrolled (Telegram id {id})",
    "crisis.tier.imminent": "IMMINENT risk",
    "crisis.tier.self_harm": "self-harm",
    "crisis.tier.ideation": "suicidal thoughts",
    "crisis.ack.button": "Acknowledge",
    "crisis.acked": "✓ Acknowledged by {name} at {when}",
    "crisis.ack.done": "Thank you. Recorded.",
    "crisis.ack.already": "Already acknowledged by {name}.",
    # Appointments
    "appt.reminder": "Reminder: your {label} is {when}.{where}",
    "invite.message": (
        "Hello {name}, this is your personal link to the check-in bot of {clinic} on Telegram:\n{link}\n\n"
        "It works once, until {when}. Open it on your phone and tap Start."
    ),
    "appt.moved": "The clinic has moved your {label}: it is now {when}.{where}",
    "appt.where": "\nWhere: {location}",
    "appt.instructions": "\n\nBefore you come:\n{items}",
    # The built-in appointment kinds (bot/clinic.py); a clinic file may give its own words per language.
    "appt.default.infusion": "infusion",
    "appt.default.therapy": "therapy session",
    "appt.default.fasting": "Please follow the fasting rule your clinic gave you before the infusion.",
    "appt.default.escort": "Arrange for an adult to take you home afterwards.",
    "appt.default.no_driving": "No driving and no big decisions until the next day, after a night's sleep.",
    "appt.notes": "\n\n{notes}",
    "appt.confirm": "Confirm",
    "appt.reschedule": "I need to reschedule",
    "appt.confirmed": "Thank you, it's confirmed. See you then.",
    "appt.reschedule_sent": "Thank you for letting us know. The clinic will be in touch to find a new time.",
    "appt.reschedule_call": "Thank you. Please contact the clinic directly to find a new time.",
    "appt.closed": "This appointment has already started, changed or been cancelled.",
    "appt.state.confirmed": "\n\n✓ Confirmed",
    "appt.state.reschedule": "\n\nYou asked to reschedule; the clinic will be in touch.",
    "appt.list.header": "Your upcoming appointments:",
    "appt.list.row": "• {label}: {when}{where}",
    "appt.list.empty": "You have no upcoming appointments booked here.",
    "appt.followup": (
        "How are you feeling after today's {label}, {name}? From 0 (very low) to 10 (very good). "
        "It's fine if you feel a bit strange or tired this evening."
    ),
    "appt.followup.answered": (
        "How are you feeling this evening?\n\nYou chose {score}. Tap another number to change it."
    ),
    "appt.effects": (
        "Thank you. Did you notice any of these today? Tap all that fit, then write a few words if you like, "
        "or tap Skip."
    ),
    "effect.dissociation": "Feeling detached",
    "effect.nausea": "Nausea",
    "effect.headache": "Headache",
    "effect.dizziness": "Dizziness",
    "effect.none": "None of these",
    "staff.reschedule": "Patient #{id} {name} asked to reschedule their {label} on {when}.",
    "staff.appointments.header": "Appointments of #{id} {name}:",
    "staff.appointments.row": "#{appointment} {label} {when} – {state}",
    "staff.appointments.empty": "No appointments for #{id} {name}.",
    "staff.appointments.usage": "Use /appointments PATIENT_ID, for example /appointments 12.",
    "staff.appointments.unknown": "There is no patient #{id}.",
    "state.confirmed": "confirmed",
    "state.reschedule_requested": "asked to reschedule",
    "state.unconfirmed": "not confirmed yet",
    "state.cancelled": "cancelled",
    "state.attended": "attended",
    "state.no_show": "did not come",
    # Exports, the mood chart and erasure
    "mood.caption": "Your mood over the last 30 days. Every check-in counts, whatever the number.",
    "mood.empty": (
        "There are no check-ins from the last 30 days yet. Once you've answered a few, /mood shows them here."
    ),
    "mydata.caption": "Here is a copy of everything you've shared with {clinic} here.",
    "mydata.usage": "Send /mydata for a PDF, or /mydata csv, /mydata json or /mydata fhir for another format.",
    "delete.ask": (
        "This erases your journal, your check-ins and your notes for good. It can't be undone.\n\n"
        "What {clinic} keeps: your enrolment, your appointments, a record that you asked for this, and "
        "that any crisis alerts happened (without your words).\n\n"
        "Your check-ins carry on as usual afterwards. Do you want to erase everything?"
    ),
    "delete.confirm": "Yes, erase my journal",
    "delete.cancel": "Cancel",
    "delete.done": (
        "Done. Your journal, check-ins and notes have been erased. {clinic} keeps only what is listed above. "
        "You can keep writing here whenever you like."
    ),
    "delete.cancelled": "Nothing was erased. Your journal is as it was.",
    "delete.expired": "This question has expired. Send /delete again if you'd like to erase your journal.",
    "export.usage": "Use /export PATIENT_ID [csv|json|pdf|fhir], for example /export 12 pdf.",
    "export.caption": "Export of patient #{id} {name} ({format}).",
    "export.failed": "Sorry, the export could not be made just now. Please try again in a moment.",
    # Staff
    "staff.only": "Sorry, this command is only for the clinic's staff.",
    "console.link": Plural(
        "Your sign-in link for the clinic console. It works once, for {minutes} minute; please don't share it.\n{url}",
        "Your sign-in link for the clinic console. It works once, for {minutes} minutes; please don't share it.\n{url}",
        "minutes",
    ),
    "console.private": "For your safety, send /console to me in a private chat, not in a group.",
    "console.off": "The web console is turned off for this clinic (CONSOLE_PORT=0).",
    "staff.patients.header": "Patients ({count}):",
    "staff.patients.row": "#{id} {name} – {status}, check-in {time} {timezone}, last score {score}{scores}",
    "staff.patients.empty": "No patients yet.",
    "patient.status.invited": "invited",
    "patient.status.active": "active",
    "patient.status.paused": "paused",
    "patient.status.deactivated": "deactivated",
    "staff.today.header": "Not checked in today ({count}):",
    "staff.today.row": "#{id} {name} (check-in {time} {timezone})",
    "staff.today.all": "Everyone active has checked in today.",
    "staff.blocked": (
        "Patient #{id} {name} has blocked the bot or left the chat, so messages can't reach them. "
        "Nothing more will be sent until they write again."
    ),
    "staff.invite.welcome": (
        "Welcome, {name}. You're now registered as {role} at {clinic}. Crisis alerts and notices go to the staff "
        "chat; here, /console opens the web console, and /patients and /today show how patients are doing."
    ),
    "staff.invite.unknown": (
        "This staff link can't be used: it has been used already or has expired. Please ask an admin for a new one."
    ),
    "staff.invite.already": "You're already registered as staff here, so this link was left unused.",
    "staff.invite.deactivated": (
        "This Telegram account was registered as staff here before and is now deactivated, so this link was left "
        "unused. Please ask an admin."
    ),
    "staff.invite.patient": (
        "This Telegram account is enrolled here as a patient, so it can't be a staff account too. Please open the "
        "link from your own Telegram account for work."
    ),
    "staff.joined": "{name} joined the staff as {role} through an invite link.",
    # Charts and the PDF report
    "chart.title": Plural("Your mood over the last {days} day", "Your mood over the last {days} days", "days"),
    "chart.axis.mood": "Mood (0–10)",
    "chart.legend.daily": "Daily check-in",
    "chart.legend.average": "7-day average",
    "chart.legend.followup": "After an infusion",
    "chart.legend.infusion": "Infusion",
    "chart.legend.crisis": "Crisis event",
    "chart.empty": "No mood scores here yet.\nYour chart fills in as you check in.",
    "chart.period.empty": "No mood scores in this period.",
    "chart.day": "{day} {month}",
    "chart.month": "{month} {year}",
    "report.months": "January,February,March,April,May,June,July,August,September,October,November,December",
    "report.months.short": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
    "report.weekdays": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    "report.date": "{day} {month} {year}",
    "report.date.long": "{weekday} {day} {month} {year}",
    "report.datetime": "{date}, {time} {zone}",
    "report.title": "Mood journal report",
    "report.patient": "Patient",
    "report.patient.value": "{name} (patient #{id})",
    "report.timezone": "Time zone",
    "report.timezone.value": "{zone}. All times in this report are the patient's local time.",
    "report.enrolled": "Enrolled",
    "report.enrolled.not_yet": "not yet",
    "report.period": "Period",
    "report.period.value": "{start} – {end}",
    "report.generated": "Generated",
    "report.footer": "{name} · patient #{id} · {clinic}",
    "report.page": "Page {page} of",
    "report.summary": "Summary",
    "report.mood": "Mean mood",
    "report.mood.value": "last 7 days {mean_7} · last 30 days {mean_30}",
    "report.mood.none": "no scores",
    "report.trend": "Trend (30 days)",
    "report.trend.value": "{word}, {slope} points a week",
    "report.trend.unknown": "too few scores to tell",
    "report.trend.rising": "rising",
    "report.trend.steady": "steady",
    "report.trend.falling": "falling",
    "report.adherence": "Check-ins answered",
    "report.adherence.value": "last 30 days {recent} · whole period {all}",
    "report.adherence.count": "{answered} of {asked} ({percent}%)",
    "report.adherence.none": "none asked",
    "report.crises": "Crisis events",
    "report.crises.none": "none in this period",
    "report.crises.open": "{count} in this period, {open} NOT acknowledged",
    "report.crises.acknowledged": "{count} in this period, all acknowledged",
    "report.questionnaire.value": "{total} ({band}) on {date} · {change}",
    "report.questionnaire.change": "{delta} since {date} (was {previous})",
    "report.questionnaire.first": "the first in this period",
    "report.erasures": "Erasures",
    "report.erasure.patient": "Journal erased at the patient's request on {date}.",
    "report.erasure.staff": "Journal erased by the clinic on {date}.",
    "report.placeholder.label": "Please note",
    "report.placeholder": (
        "Some characters (such as emoji or Chinese, Japanese and Korean script) cannot be shown in this PDF "
        "and appear as {mark}. The CSV and JSON exports hold the exact text."
    ),
    "report.chart.mood": "Mood over the period",
    "report.chart.questionnaires": "Questionnaires",
    "report.appointments": "Appointments",
    "report.appointments.when": "Date and time",
    "report.appointments.kind": "Appointment",
    "report.appointments.state": "State",
    "report.appointments.where": "Where and notes",
    "report.appointments.none": "No appointments in this period.",
    "report.state.confirmed": "confirmed",
    "report.state.unconfirmed": "not confirmed",
    "report.state.reschedule_requested": "asked to reschedule",
    "report.state.cancelled": "cancelled",
    "report.state.attended": "attended",
    "report.state.no_show": "did not come",
    "report.days": "Day by day, newest first",
    "report.days.none": "Nothing recorded in this period.",
    "report.day.continued": "{day} (continued)",
    "report.day.infusion": "infusion day",
    "report.checkin.score": "Mood {score} of 10",
    "report.checkin.missed": "Daily check-in missed",
    "report.checkin.open": "Daily check-in not answered yet",
    "report.followup.score": "After the infusion: {score} of 10",
    "report.followup.missed": "After-infusion check-in missed",
    "report.followup.open": "After-infusion check-in not answered yet",
    "report.effects": "Effects: {effects}",
    "report.effect.none": "none",
    "report.note": "Note:",
    "report.journal": "Journal:",
    "report.journal.edited": "(edited {when})",
    "report.crisis": "Crisis event: {tier}",
    "report.crisis.open": "NOT acknowledged",
    "report.crisis.acknowledged": "Acknowledged by {name}, {when}",
    "report.crisis.someone": "a staff member",
    "report.tier.imminent": "imminent risk",
    "report.tier.possible": "possible crisis, asked first",
    "report.crisis.why": "Why: {why}",
    "report.crisis.answer.yes": "The patient answered yes: staff were alerted.",
    "report.crisis.answer.call": "The patient asked for a call: staff were alerted.",
    "report.crisis.answer.no": "The patient answered no.",
    "report.crisis.answer.unanswered": "The patient did not answer; staff were sent a notice.",
    "report.crisis.answer.none": "No answer yet.",
    "report.flag.past": "For review: thoughts or self-harm in the past, said to be over.",
    "report.flag.other_person": "For review: worried about someone else's safety.",
    "report.flag.possible": "For review: the bot asked about a possible crisis; no answer yet.",
    "report.flag.possible:yes": "For review: the bot asked about a possible crisis; the patient answered yes.",
    "report.flag.possible:no": "For review: the bot asked about a possible crisis; the patient answered no.",
    "report.flag.possible:call": "For review: the bot asked about a possible crisis; the patient asked for a call.",
    "report.flag.possible:unanswered": "For review: the bot asked about a possible crisis; no answer came.",
    "report.tier.self_harm": "self-harm",
    "report.tier.ideation": "suicidal thoughts",
    "report.questionnaire.entry": "{title}: {total} ({band})",
    "report.appointment.entry": "{label} · {state}",
    "report.band.minimal": "minimal",
    "report.band.mild": "mild",
    "report.band.moderate": "moderate",
    "report.band.moderately_severe": "moderately severe",
    "report.band.severe": "severe",
    # Bot command menu
    "cmd.checkin": "How I feel now",
    "cmd.appointments": "My upcoming appointments",
    "cmd.settings": "Check-in time and time zone",
    "cmd.pause": "Pause check-ins",
    "cmd.resume": "Resume check-ins",
    "cmd.mood": "My mood chart",
    "cmd.mydata": "A copy of my data",
    "cmd.delete": "Erase my journal",
    "cmd.sos": "Crisis lines",
    "cmd.help": "What I can do",
    "cmd.language": "Change my language",
    # Questionnaires
    "questionnaire.intro": (
        "Hi {name}. Here is the {title}: {count} short questions about the last two weeks. Tap the answer "
        "that fits best. You can change an answer by tapping another one.\n\n"
    ),
    "questionnaire.resume": "Let's carry on where you left off.\n\n",
    "questionnaire.item": "{title} · {number}/{count}\n{stem}\n\n{item}",
    "questionnaire.saved": "Saved: {answer}",
    "questionnaire.closed": "This questionnaire has closed. You can start a new one with /{command} whenever you like.",
    "questionnaire.finished": "This questionnaire is already finished. Thank you for answering it.",
    "questionnaire.result": (
        "Thank you for answering all {count} questions.\n\nYour {title} total is {total} out of {max}. {band}"
        "\n\n{closing}"
    ),
    "questionnaire.band.phq9.minimal": (
        "That's in the lowest range, with few signs of low mood over the last two weeks."
    ),
    "questionnaire.band.phq9.mild": "That's in the mild range, with some signs of low mood over the last two weeks.",
    "questionnaire.band.phq9.moderate": (
        "That's in the middle range: low mood has been showing up quite a bit over the last two weeks."
    ),
    "questionnaire.band.phq9.moderately_severe": (
        "That's in the upper range: the last two weeks seem to have been hard."
    ),
    "questionnaire.band.phq9.severe": "That's in the highest range: the last two weeks seem to have been very hard.",
    "questionnaire.band.gad7.minimal": (
        "That's in the lowest range, with few signs of worry or tension over the last two weeks."
    ),
    "questionnaire.band.gad7.mild": "That's in the mild range, with some worry or tension over the last two weeks.",
    "questionnaire.band.gad7.moderate": (
        "That's in the middle range: worry and tension have been showing up quite a bit over the last two weeks."
    ),
    "questionnaire.band.gad7.severe": "That's in the highest range: the last two weeks seem to have been very hard.",
    "questionnaire.closing": "Your care team can look at your answers with you. It can help to talk them through.",
    "questionnaire.closing.higher": (
        "It may help to talk this through with your care team soon. If things feel too heavy, /sos shows lines "
        "you can reach out to."
    ),
    "questionnaire.alert_excerpt": "{title} item {number} ({item}): {answer}",
    "cmd.phq9": "Mood questionnaire (PHQ-9)",
    "cmd.gad7": "Worry questionnaire (GAD-7)",
    # Console
    "console.brand": "moodbot console",
    "console.skip": "Skip to content",
    "console.nav": "Console",
    "console.nav.today": "Today",
    "console.nav.patients": "Patients",
    "console.nav.staff": "Staff",
    "console.nav.appointments": "Appointments",
    "console.nav.audit": "Audit",
    "console.sign_out": "Sign out",
    "console.role.counselor": "counselor",
    "console.role.admin": "admin",
    "console.language.label": "Language",
    "console.language.clinic": "Clinic default ({language})",
    "console.language.apply": "Apply",
    "console.signin.title": "Sign in",
    "console.signin.intro": (
        "The console has no passwords. To sign in, send this to the clinic's bot in a private chat in Telegram:"
    ),
    "console.signin.link": Plural(
        "The bot answers with a link that works once, for {minutes} minute.",
        "The bot answers with a link that works once, for {minutes} minutes.",
        "minutes",
    ),
    "console.signin.admin": "An administrator can also make a link on the server with:",
    "console.link.intro": "This link signs you in to the console of {clinic}.",
    "console.link.again": "For a new link, send this to the clinic's bot:",
    "console.link.unknown": "This sign-in link is not valid. It may be mistyped or incomplete.",
    "console.link.used": "This sign-in link has been used already. Each link works once.",
    "console.link.expired": Plural(
        "This sign-in link has expired. Links work for {minutes} minute.",
        "This sign-in link has expired. Links work for {minutes} minutes.",
        "minutes",
    ),
    "console.link.inactive": "This account is no longer active.",
    "console.error.title": "Sorry",
    "console.error.back": "Back to today",
    "console.error.too_many": "Too many attempts. Please wait a minute.",
    "console.error.form_expired": "This form has expired. Please go back, reload the page and try again.",
    "console.error.link_form_expired": "This form has expired. Please open the link again.",
    "console.error.role": "Your role does not include this page.",
    "console.error.not_found": "This page does not exist.",
    "console.error.other": "This request could not be handled.",
    "console.error.no_alert": "There is no such alert.",
    "console.error.no_entry": "There is no such entry.",
    "console.error.no_patient": "There is no such patient.",
    "console.error.no_appointment": "There is no such appointment.",
    "console.appt.week": "Week of {day}",
    "console.appt.previous": "← Previous week",
    "console.appt.this_week": "This week",
    "console.appt.next": "Next week →",
    "console.appt.zone_note": "Times in the clinic's time zone ({zone}); each patient's messages use their own.",
    "console.appt.free": "Nothing booked.",
    "console.appt.minutes": "{minutes} min",
    "console.appt.change": "Change",
    "console.appt.new_time": "New date and time ({zone})",
    "console.appt.move": "Move and tell the patient",
    "console.appt.cancel": "Cancel appointment",
    "console.appt.attended": "Came",
    "console.appt.no_show": "Did not come",
    "console.appt.book_title": "Book an appointment",
    "console.appt.patient": "Patient",
    "console.appt.choose": "Choose a patient",
    "console.appt.kind": "Kind",
    "console.appt.at": "Date and time, in the patient's time zone",
    "console.appt.duration": "Minutes (empty: the usual for the kind)",
    "console.appt.location": "Location",
    "console.appt.notes": "Notes for the patient",
    "console.appt.series": "A series",
    "console.appt.count": "How many appointments (1 to {max})",
    "console.appt.repeat_hint": "For more than one, tick weekdays or give a number of days between them.",
    "console.appt.every_days": "Every how many days",
    "console.appt.force": "Book anyway",
    "console.appt.book": "Book",
    "console.appt.warn.past": "{when} is in the past.",
    "console.appt.warn.overlap": "{when} overlaps the patient's {label} at {other}.",
    "console.appt.warn.confirm": "Nothing is saved yet. Tick “Book anyway” to save it as it is, or change the time.",
    "console.appt.error.patient": "Please choose a patient from the list.",
    "console.appt.error.kind": "Please choose a kind from the list.",
    "console.appt.error.at": "Please give a date and a time, such as 2026-03-05 10:00.",
    "console.appt.error.gap": "{when} does not exist in {zone}: the clocks change then.",
    "console.appt.error.number": "A whole number from {low} to {high}, please.",
    "console.appt.error.text": "At most {max} characters, please.",
    "console.appt.error.repeat": "For a series, tick weekdays or give a number of days, not both.",
    "console.appt.error.cancelled": "This appointment is cancelled.",
    "console.appt.error.not_begun": "This appointment has not begun yet; mark it once it has.",
    "console.import.title": "Import from a calendar",
    "console.import.upload_title": "Choose a file",
    "console.import.hint": (
        "An .ics export from Google Calendar or Outlook, or a CSV (with , or ; between cells). Patients are found by "
        "an attendee's e-mail, their record number or their name in the event; you see every row before anything is "
        "saved, and importing the same file again changes nothing."
    ),
    "console.import.file": "Calendar or CSV file",
    "console.import.see_preview": "See what it holds",
    "console.import.preview": "What importing {name} does",
    "console.import.bad_rows": Plural(
        "{count} row cannot be imported as it is:", "{count} rows cannot be imported as they are:", "count"
    ),
    "console.import.line": "Line",
    "console.import.reason": "Why",
    "console.import.assign": "Patient",
    "console.import.assign_line": "Patient for line {line}",
    "console.import.fix_file": "Mend these rows in the calendar or the file, then choose it again.",
    "console.import.check_again": "Check again with these patients",
    "console.import.go": "Import",
    "console.import.when": "When (the patient's time)",
    "console.import.action": "Importing",
    "console.import.will.created": "books it",
    "console.import.will.updated": "changes it",
    "console.import.will.unchanged": "changes nothing",
    "console.import.will.cancelled": "cancels it",
    "console.import.will.skipped": "skips it (cancelled, never booked)",
    "console.import.done": (
        "Imported: {created} booked, {updated} changed, {unchanged} unchanged, {cancelled} cancelled."
    ),
    "console.import.see_week": "See them in the week",
    "console.import.columns": "Which column is which",
    "console.import.columns_hint": (
        "This file's columns are its own. Choose the column that holds each of these (a patient id or, instead, a "
        "name, record number or e-mail; the kind; the start), then check again. Columns left out are not read."
    ),
    "console.import.column_none": "(none)",
    "console.import.column.patient_id": "Patient number in the console (#)",
    "console.import.column.patient": "Patient's name, record number or e-mail",
    "console.import.column.kind": "Kind",
    "console.import.column.start": "Start (date and time)",
    "console.import.column.timezone": "Time zone",
    "console.import.column.duration_minutes": "Minutes",
    "console.import.column.location": "Location",
    "console.import.column.notes": "Notes for the patient",
    "console.import.column.uid": "Unique id of the booking",
    "console.import.error.file": "Please choose a file.",
    "console.import.error.size": "This file is larger than {megabytes} MB.",
    "console.weekday.mon": "Mon",
    "console.weekday.tue": "Tue",
    "console.weekday.wed": "Wed",
    "console.weekday.thu": "Thu",
    "console.weekday.fri": "Fri",
    "console.weekday.sat": "Sat",
    "console.weekday.sun": "Sun",
    "console.error.no_format": "There is no such export format.",
    "console.error.date": "Dates are written YYYY-MM-DD.",
    "console.error.range": "The range starts after it ends.",
    "console.error.language": "Please choose a language from the list.",
    "console.today.alerts": "Open crisis alerts",
    "console.today.since": "since {when}",
    "console.today.messages": Plural("{count} message", "{count} messages", "count"),
    "console.today.acknowledge": "Acknowledge: I'm handling this",
    "console.today.no_alerts": "No open alerts.",
    "console.today.reviews": "Possible crises to review",
    "console.today.answer": "Answer:",
    "console.today.why_asked": "Why asked: {why}",
    "console.today.mark_reviewed": "Mark reviewed",
    "console.today.no_reviews": "Nothing waiting.",
    "console.today.silent": Plural("Silent for {days} day or more", "Silent for {days} days or more", "days"),
    "console.today.last_heard": "last heard {when}",
    "console.today.no_silent": "Everyone has been in touch.",
    "console.today.appointments": "Today's appointments",
    "console.today.no_appointments": "No appointments today.",
    "console.today.reschedules": "Asked to reschedule",
    "console.today.no_reschedules": "No open requests.",
    "console.today.updated": "Updated {when}.",
    "console.ago.never": "never",
    "console.ago.today": "today",
    "console.answer.yes": "yes",
    "console.answer.no": "no",
    "console.answer.call": "asked for a call",
    "console.answer.unanswered": "no answer",
    "console.answer.none": "not yet",
    "console.column.time": "Time",
    "console.column.when": "When",
    "console.column.patient": "Patient",
    "console.column.appointment": "Appointment",
    "console.column.confirmed": "Confirmed",
    "console.column.state": "State",
    "console.column.action": "Action",
    "console.column.who": "Who",
    "console.column.detail": "Detail",
    "console.column.name": "Name",
    "console.column.role": "Role",
    "console.patients.search_label": "Search by name",
    "console.patients.search": "Search",
    "console.patients.count": Plural("{count} patient.", "{count} patients.", "count"),
    "console.patients.count_paged": Plural(
        "{count} patient, page {page} of {pages}.", "{count} patients, page {page} of {pages}.", "count"
    ),
    "console.patients.last_mood": "Last mood",
    "console.patients.trend": Plural("{days} day", "{days} days", "days"),
    "console.patients.adherence": Plural("Check-ins ({days} day)", "Check-ins ({days} days)", "days"),
    "console.patients.next": "Next appointment",
    "console.patients.questionnaires": "Questionnaires",
    "console.patients.spark": Plural("Mood over {days} day for {name}", "Mood over {days} days for {name}", "days"),
    "console.pager": "Pages",
    "console.pager.previous": "Previous",
    "console.pager.next": "Next",
    "console.range.from": "From",
    "console.range.to": "To",
    "console.range.show": "Show",
    "console.patient.checkin": "check-in {time}",
    "console.patient.zone_note": "times below in the patient's zone",
    "console.patient.download": "Download this period:",
    "console.export.pdf": "PDF report",
    "console.export.fhir": "FHIR bundle",
    "console.patient.mood": "Mood",
    "console.patient.chart": "Daily mood 0–10; vertical lines are infusions.",
    "console.chart.label": "Mood of {name}",
    "console.chart.infusion": "infusion {day}",
    "console.patient.asked_first": "asked first, answer: {answer}",
    "console.patient.acknowledged": "acknowledged by {name}, {when}",
    "console.patient.not_acknowledged": "not acknowledged",
    "console.patient.none": "None in this period.",
    "console.patient.journal": "Journal and notes",
    "console.patient.note": "note to mood {score}:",
    "console.patient.no_journal": "Nothing written in this period.",
    "console.flag.past": "past, said to be over",
    "console.flag.other_person": "about someone else",
    "console.flag.possible": "possible crisis, no answer yet",
    "console.flag.possible:yes": "possible crisis, answered yes",
    "console.flag.possible:no": "possible crisis, answered no",
    "console.flag.possible:call": "possible crisis, asked for a call",
    "console.flag.possible:unanswered": "possible crisis, no answer came",
    "console.staff.telegram_id": "Telegram id",
    "console.staff.actions": "Actions",
    "console.staff.role_of": "Role of {name}",
    "console.staff.change_role": "Change role",
    "console.staff.active": "active",
    "console.staff.deactivated": "deactivated {when}",
    "console.staff.deactivate": "Deactivate {name}",
    "console.staff.add_title": "Add a staff member",
    "console.staff.telegram_hint": "Telegram user id (a number; they can see it by sending /start to @userinfobot)",
    "console.staff.add": "Add",
    "console.staff.error.input": "A Telegram user id is a number, and the role is one from the list.",
    "console.staff.error.name": "Please give a name.",
    "console.staff.error.registered": "Telegram id {id} is already registered as staff.",
    "console.staff.error.unknown": "There is no such staff member.",
    "console.staff.error.deactivated": "This staff member is deactivated.",
    "console.staff.error.only_admin": "This is the only active admin; make someone else admin first.",
    "console.staff.invite_title": "Invite by link",
    "console.staff.invite_hint": (
        "They open the link in Telegram and are registered with their own account, so nobody has to look up an id. "
        "It works once, for 7 days."
    ),
    "console.staff.invite": "Make an invite link",
    "console.staff.invited": "Invite link for {name} ({role}). Send it to them privately; it works once, until {when}.",
    "console.staff.invite_no_bot": (
        "The bot's username is not known yet, so the link has <bot> in it: start the bot once, or set "
        "TELEGRAM_BOT_USERNAME, and make a new link."
    ),
    "console.audit.title": "Audit log",
    "console.audit.who": "Who (Telegram id or user)",
    "console.audit.patient": "Patient id",
    "console.audit.any": "any",
    "console.audit.filter": "Filter",
    "console.audit.csv": "Download CSV",
    "console.audit.note": "The newest {limit} rows at most; times in UTC.",
    "console.audit.empty": "No rows.",
    "console.audit.action.view": "patient page viewed",
    "console.audit.action.export": "export",
    "console.audit.action.erase": "erasure",
    "console.audit.action.sign_in": "sign-in",
    "console.audit.action.acknowledge": "alert acknowledged",
    "console.audit.action.review": "possible crisis reviewed",
    "console.audit.action.staff": "staff change",
    "console.audit.action.patient": "patient change",
    "console.upcoming.link": "Messages of the next 14 days",
    "console.upcoming.title": "What {name} will get in the next {days} days",
    "console.upcoming.hint": (
        "Worked out from their time zone ({zone}), check-in time and bookings and the clinic's settings, as the bot "
        "will plan them; times are the patient's. A questionnaire is left out when they finished the same one a few "
        "days before."
    ),
    "console.upcoming.when": "When",
    "console.upcoming.message": "Message",
    "console.upcoming.none": "The bot sends them nothing in these days ({status}).",
    "console.upcoming.what.checkin": "Daily check-in",
    "console.upcoming.what.reminder": "Reminder of the {label} on {when}",
    "console.upcoming.what.followup": "How-are-you after the {label} on {when}",
    "console.upcoming.what.questionnaire": "{name} questionnaire",
    "console.profile.title": "Profile and invitation",
    "console.profile.new": "Add a patient",
    "console.profile.new_hint": (
        "After saving you get their invite link, a QR code to print and a message ready to send. Empty fields take "
        "the clinic's defaults."
    ),
    "console.profile.back": "Back to the patient's page",
    "console.profile.linked": "joined in Telegram",
    "console.profile.not_saved": "Nothing was saved. Please look at the fields marked below.",
    "console.profile.timezone": "Time zone (a city or a name such as Europe/Berlin)",
    "console.profile.checkin_time": "Daily check-in time (HH:MM)",
    "console.profile.country": "Country, for crisis lines (two letters, such as US)",
    "console.profile.language": "Language",
    "console.profile.language_auto": "Their Telegram app's, else the clinic's",
    "console.profile.external_id": "Record number (MRN), optional",
    "console.profile.email": "E-mail the clinic's calendar invites, optional",
    "console.profile.save": "Save",
    "console.profile.add": "Add and make an invite link",
    "console.profile.lifecycle": "Invitation and messages",
    "console.profile.invite": "Make a new invite link",
    "console.profile.deactivate": "Deactivate {name}",
    "console.profile.deactivate_hint": "No more messages; the records stay, and open invite links stop working.",
    "console.profile.reactivate": "Reactivate",
    "console.profile.error.name": "Please give a name of 1 to 120 characters.",
    "console.profile.error.timezone": "Unknown time zone; try a city or a name such as Europe/Berlin.",
    "console.profile.error.checkin_time": "Please give a time of day such as 20:00.",
    "console.profile.error.country": "Please give a two-letter country code such as US or DE.",
    "console.profile.error.language": "Please choose a language from the list.",
    "console.profile.error.external_id": "Letters and digits, with . _ / : - between them, up to 64.",
    "console.profile.error.email": "That does not look like an e-mail address.",
    "console.profile.error.taken": "This record number is already #{id} {name}'s.",
    "console.profile.error.deactivate": "This patient is already deactivated.",
    "console.profile.error.reactivate": "This patient is not deactivated.",
    "console.invite.title": "Invite for {name}",
    "console.invite.once": "The link works once, until {when} (the patient's time). Earlier links stop working.",
    "console.invite.link": "Invite link",
    "console.invite.qr": "QR code of the invite link for {name}",
    "console.invite.scan": "Scan with the phone's camera to open the bot in Telegram.",
    "console.invite.message_title": "Message to send",
    "console.invite.message_hint": "In the patient's language; copy it into a text message or e-mail.",
    "console.invite.print": "This page is shown once: print it or copy the link now.",
    "console.invite.not_now": "Only a patient who has not joined yet, and is not deactivated, gets a new invite link.",
    "console.actor.staff": "Telegram",
    "console.actor.patient": "patient",
    "console.actor.cli": "command line",
    "console.actor.console": "console",
}


def english(key: str) -> str:
    """The English words for `key` (the plural form for a plural message)."""
    entry = EN[key]
    return entry.other if isinstance(entry, Plural) else entry


def t(key: str, language: str = "en", /, **values: Any) -> str:
    """The text for `key` in `language` (English when the bot does not speak it), with `values` filled in."""
    entry, catalogue = EN[key], translations(language)
    if isinstance(entry, Plural):
        template = catalogue.npgettext(key, entry.one, entry.other, int(values[entry.count]))
    else:
        template = catalogue.pgettext(key, entry)
    return template.format(**values)
