// Dates written for people, in Italian: "1° luglio 2027", "dall'8 giugno",
// "martedì 10 giugno 2027, ore 17:00–19:00". Inputs are the wall-clock
// forms of the catalogue and of case files (Europe/Rome, no conversion).
// Functions return their input unchanged when it is not a valid date, so a
// page never shows an empty gap.
#pragma once

#include <string>

namespace bp {

// "2027-03-02" -> "2 marzo 2027"; the first of the month takes the ordinal:
// "2027-07-01" -> "1° luglio 2027".
std::string italian_date(const std::string& iso_date);

// "2027-03-02T17:00" -> "2 marzo 2027, ore 17:00"; a bare date as
// italian_date().
std::string italian_datetime(const std::string& local);

// `text` (a number first: a day as italian_date() writes it, a share)
// after an articulated preposition or article, elided before a number
// read with a vowel first, otto, ottanta… and undici ("dal" + "8 giugno"
// -> "dall'8 giugno", "al" + "11 luglio" -> "all'11 luglio", "il" +
// "80 %" -> "l'80 %"); "1°" (primo) is never elided ("al 1° luglio", "il
// 1° marzo"). Handles il, dal, al, del, nel, sul
// and any words before them ("entro il"); other words are joined with a space.
std::string after_preposition(const std::string& preposition, const std::string& text);

// after_preposition(preposition, italian_datetime(local)):
// ("al", "2027-04-08T19:00") -> "all'8 aprile 2027, ore 19:00".
std::string italian_datetime_after(const std::string& preposition, const std::string& local);

// The weekday of a valid "YYYY-MM-DD" in Italian, lower case ("martedì"),
// or "" when the date is not valid.
std::string italian_weekday(const std::string& iso_date);

// "2027-06-08", "17:00", "19:00" -> "martedì 8 giugno 2027, ore 17:00–19:00"
// (an en dash between the times). The programme page, the API's session
// labels and the outbox messages all use this form.
std::string italian_meeting(const std::string& iso_date, const std::string& start,
                            const std::string& end);

}  // namespace bp
