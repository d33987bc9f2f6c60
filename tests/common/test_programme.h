// The small programme.yaml of the tests, shared by the catalogue tests
// (core) and the registration tests.
#pragma once

namespace bp::test_util {

// Editions: open (far future), small (2 seats), thirty (30 seats), past,
// late (deadline passed), closed (open: false), tutoring per hub.
inline const char* kTestProgramme = R"(version: 1
targets: {modulo: 120, tutoraggio: 30, residenza: 30, corso-docenti: 40}
activities:
  - id: m03
    kind: modulo
    module: m03
    macro_action: a1
    title: "Consumo responsabile e gruppi di acquisto solidale"
    description: "Modulo di prova."
    themes: [gruppi-di-acquisto-solidale]
    editions:
      - {id: m03-nord, hub: nord, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 60, deadline: "2099-02-27",
         sessions: [{date: 2099-03-02, start: "17:00", end: "19:00", online: "https://meet.example.org/m03-nord"}, {date: 2099-03-09, start: "17:00", end: "19:00"},
                    {date: 2099-03-16, start: "17:00", end: "19:00"}, {date: 2099-03-23, start: "17:00", end: "19:00"}]}
      - {id: small, hub: centro, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 2, deadline: "2099-02-27",
         sessions: [{date: 2099-03-02, start: "17:00", end: "19:00"}, {date: 2099-03-09, start: "17:00", end: "19:00"},
                    {date: 2099-03-16, start: "17:00", end: "19:00"}, {date: 2099-03-23, start: "17:00", end: "19:00"}]}
      - {id: thirty, hub: sud, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 30, deadline: "2099-02-27",
         sessions: [{date: 2099-03-02, start: "17:00", end: "19:00"}, {date: 2099-03-09, start: "17:00", end: "19:00"},
                    {date: 2099-03-16, start: "17:00", end: "19:00"}, {date: 2099-03-23, start: "17:00", end: "19:00"}]}
      - {id: past, hub: nord, city: online, start: "2020-03-02T17:00", end: "2020-03-23T19:00", capacity: 60, deadline: "2020-02-27",
         sessions: [{date: 2020-03-02, start: "17:00", end: "19:00"}, {date: 2020-03-09, start: "17:00", end: "19:00"},
                    {date: 2020-03-16, start: "17:00", end: "19:00"}, {date: 2020-03-23, start: "17:00", end: "19:00"}]}
      - {id: late, hub: nord, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 60, deadline: "2020-02-27",
         sessions: [{date: 2099-03-02, start: "17:00", end: "19:00"}, {date: 2099-03-09, start: "17:00", end: "19:00"},
                    {date: 2099-03-16, start: "17:00", end: "19:00"}, {date: 2099-03-23, start: "17:00", end: "19:00"}]}
      - {id: closed, hub: nord, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 60, deadline: "2099-02-27", open: false,
         sessions: [{date: 2099-03-02, start: "17:00", end: "19:00"}, {date: 2099-03-09, start: "17:00", end: "19:00"},
                    {date: 2099-03-16, start: "17:00", end: "19:00"}, {date: 2099-03-23, start: "17:00", end: "19:00"}]}
  - id: tutoraggio
    kind: tutoraggio
    title: "Tutoraggio su richiesta"
    description: "Tutoraggio di prova."
    themes: [decarbonizzazione, gruppi-di-acquisto-solidale]
    topics: [decarbonizzazione, gruppi-di-acquisto-solidale]
    editions:
      - {id: tutoraggio-nord, hub: nord, city: online, start: "2020-01-11T09:00", end: "2099-12-17T18:00", capacity: 10, deadline: "2099-11-30"}
      - {id: tutoraggio-sud, hub: sud, city: online, start: "2020-01-11T09:00", end: "2099-12-17T18:00", capacity: 10, deadline: "2099-11-30"}
  - id: residenza-lecce
    kind: residenza
    title: "Residenza di Lecce"
    description: "Residenza di prova."
    themes: [comunita-energetiche]
    workshops: ["Laboratorio: CER solidale"]
    editions:
      - {id: residenza-lecce-2099, hub: sud, city: Lecce, start: "2099-09-23T10:00", end: "2099-09-25T16:00", capacity: 30, deadline: "2099-09-01",
         sessions: [{date: 2099-09-23, start: "10:00", end: "18:00", place: "Casa delle associazioni, via di Prova 1"},
                    {date: 2099-09-24, start: "09:30", end: "18:00"}, {date: 2099-09-25, start: "09:30", end: "16:00"}]}
)";

}  // namespace bp::test_util
