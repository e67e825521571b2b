portal-executives = Executives
portal-structure = Organisation
portal-contact = Contact
portal-no-executives = No executives listed yet
portal-no-divisions = No divisions listed yet
portal-staff-count = { $count } staff
portal-demo-note = Demo agency: the names and contacts of people are made up to show the system
