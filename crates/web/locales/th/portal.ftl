portal-executives = ผู้บริหาร
portal-structure = โครงสร้างส่วนราชการ
portal-contact = ข้อมูลการติดต่อ
portal-no-executives = ยังไม่มีข้อมูลผู้บริหาร
portal-no-divisions = ยังไม่มีข้อมูลส่วนราชการ
portal-staff-count = บุคลากรในสังกัด { $count } คน
portal-demo-note = หน่วยงานตัวอย่าง: รายชื่อบุคคลและช่องทางติดต่อเป็นข้อมูลสมมติสำหรับสาธิตระบบ
