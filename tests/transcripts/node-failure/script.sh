# A node fails under a running app (issue #12): its kubelet goes silent and its pod stops
# answering. For up to 45 s the control plane still trusts it, and requests that kube-proxy
# sends there time out; then the node lifecycle controller marks it NotReady and its pod not
# ready (the endpoints drop it) and taints it unreachable. After the pods' default 300 s
# toleration the taint eviction controller deletes the pod; it stays Terminating (its
# kubelet cannot hear) while the ReplicaSet replaces it elsewhere. When the node is back,
# its kubelet stops the deleted pod and the taints go.
kubectl apply -f demoapp.yaml
sleep 20
kubectl get pods -o wide
ip=$(kubectl get service demoapp -o jsonpath='{.spec.clusterIP}')
lab-node fail k8s-node02
for i in 1 2 3 4 5 6; do curl -s -m 2 $ip/hostname; echo " exit $?"; done
sleep 45
kubectl get nodes
kubectl get pods -o wide
kubectl get endpoints demoapp
kubectl describe node k8s-node02
for i in 1 2 3 4 5 6; do curl -s -m 2 $ip/hostname; echo " exit $?"; done
sleep 300
kubectl get pods -o wide
kubectl get deployment demoapp
kubectl get events --field-selector reason=TaintManagerEviction
lab-node recover k8s-node02
kubectl get nodes
sleep 5
kubectl describe node k8s-node02 | grep Taints
sleep 30
kubectl get pods -o wide
kubectl get events --field-selector involvedObject.kind=Node
